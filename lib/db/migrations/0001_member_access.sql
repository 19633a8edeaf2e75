CREATE TABLE "active_streams" (
	"user_id" uuid NOT NULL,
	"stream_id" text NOT NULL,
	"video_id" text NOT NULL,
	"playback_key" text NOT NULL,
	"device" text NOT NULL,
	"address" text,
	"user_agent" text,
	"started_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	CONSTRAINT "active_streams_user_id_stream_id_pk" PRIMARY KEY("user_id","stream_id")
);
--> statement-breakpoint
CREATE TABLE "data_migrations" (
	"name" text PRIMARY KEY NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_grants" (
	"grant_key" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"user_email" text NOT NULL,
	"video_id" text NOT NULL,
	"kind" text NOT NULL,
	"stream_id" text,
	"address" text,
	"user_agent" text,
	"first_issued_at" timestamp with time zone NOT NULL,
	"last_issued_at" timestamp with time zone NOT NULL,
	"issue_count" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "video_groups" (
	"video_id" text NOT NULL,
	"group_id" text NOT NULL,
	CONSTRAINT "video_groups_video_id_group_id_pk" PRIMARY KEY("video_id","group_id")
);
--> statement-breakpoint
ALTER TABLE "active_streams" ADD CONSTRAINT "active_streams_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_groups" ADD CONSTRAINT "video_groups_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_groups" ADD CONSTRAINT "video_groups_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "active_streams_last_seen_idx" ON "active_streams" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "group_members_user_idx" ON "group_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_name_idx" ON "groups" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "media_grants_video_idx" ON "media_grants" USING btree ("video_id","last_issued_at");--> statement-breakpoint
CREATE INDEX "media_grants_user_idx" ON "media_grants" USING btree ("user_id","last_issued_at");--> statement-breakpoint
CREATE INDEX "media_grants_last_idx" ON "media_grants" USING btree ("last_issued_at");--> statement-breakpoint
CREATE INDEX "video_groups_group_idx" ON "video_groups" USING btree ("group_id");
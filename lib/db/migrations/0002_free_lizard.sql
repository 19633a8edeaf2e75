CREATE TABLE "playback_views" (
	"id" uuid PRIMARY KEY NOT NULL,
	"video_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"seq" integer NOT NULL,
	"startup_ms" integer,
	"watch_seconds" real DEFAULT 0 NOT NULL,
	"furthest_seconds" real DEFAULT 0 NOT NULL,
	"rebuffer_count" integer DEFAULT 0 NOT NULL,
	"rebuffer_seconds" real DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"renditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"coverage" bit(100) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "playback_views" ADD CONSTRAINT "playback_views_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playback_views" ADD CONSTRAINT "playback_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "playback_views_video_day_idx" ON "playback_views" USING btree ("video_id","day");--> statement-breakpoint
CREATE INDEX "playback_views_user_day_idx" ON "playback_views" USING btree ("user_id","day");
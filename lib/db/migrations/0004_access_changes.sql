-- Who may watch what rests on these tables: a video's publication, status and playlist,
-- its groups, and the groups' members. Every statement that changes them notifies
-- `reelgate_access` (delivered at commit), and each API server drops its memo of
-- access decisions when told (lib/access/memo.ts). Statement triggers: one notice per
-- statement, however many rows it touched; identical notices in one transaction fold.
CREATE OR REPLACE FUNCTION reelgate_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('reelgate_access', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER videos_access_changed
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF published, status, playlist_key, title ON videos
  FOR EACH STATEMENT EXECUTE FUNCTION reelgate_access_changed();
--> statement-breakpoint
CREATE TRIGGER video_groups_access_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON video_groups
  FOR EACH STATEMENT EXECUTE FUNCTION reelgate_access_changed();
--> statement-breakpoint
CREATE TRIGGER group_members_access_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON group_members
  FOR EACH STATEMENT EXECUTE FUNCTION reelgate_access_changed();

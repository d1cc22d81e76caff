-- An open live stream ends when the session or API token it was opened with ends, not only when
-- its user changes (lib/server/event-hub.ts re-checks the user's streams on `user_changed`).
-- Signing out deletes a Session row; revoking a token sets its revokedAt. Prisma's schema cannot
-- express triggers, so this migration is written by hand, like the User trigger before it.
CREATE FUNCTION "notify_credential_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('user_changed', OLD."userId");
    RETURN OLD;
  END IF;
  IF NEW."revokedAt" IS DISTINCT FROM OLD."revokedAt" THEN
    PERFORM pg_notify('user_changed', NEW."userId");
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Session_ended" AFTER DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION "notify_credential_changed"();

CREATE TRIGGER "ApiToken_revoked" AFTER UPDATE OF "revokedAt" ON "ApiToken"
  FOR EACH ROW EXECUTE FUNCTION "notify_credential_changed"();

-- Presence rows are short-lived (refreshed every 2 s by their process); old ones have no process
-- id to keep, and the new NOT NULL columns could not be added while they exist.
DELETE FROM "Presence";

-- DropIndex
DROP INDEX "Presence_documentId_idx";

-- AlterTable
ALTER TABLE "Presence" DROP CONSTRAINT "Presence_pkey",
DROP COLUMN "connectionId",
ADD COLUMN     "processId" TEXT NOT NULL,
ADD COLUMN     "streams" INTEGER NOT NULL,
ADD CONSTRAINT "Presence_pkey" PRIMARY KEY ("documentId", "userId", "processId");

-- CreateIndex
CREATE INDEX "Presence_processId_idx" ON "Presence"("processId");

-- Live streams re-check their user at once when the account changes (lib/server/event-hub.ts):
-- deactivation, role change, sign-out-everywhere. A trigger catches every writer, so no code path
-- can forget to announce it. Prisma's schema cannot express triggers; prisma/schema.prisma says so
-- on User.sessionVersion.
CREATE FUNCTION "notify_user_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('user_changed', OLD.id);
    RETURN OLD;
  END IF;
  IF (NEW.active, NEW.role, NEW."sessionVersion") IS DISTINCT FROM (OLD.active, OLD.role, OLD."sessionVersion") THEN
    PERFORM pg_notify('user_changed', NEW.id);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "User_changed" AFTER UPDATE OR DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION "notify_user_changed"();

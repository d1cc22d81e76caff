-- CreateTable
CREATE TABLE "Throttle" (
    "key" TEXT NOT NULL,
    "hits" TIMESTAMPTZ(3)[],
    "allowed" BOOLEAN NOT NULL,

    CONSTRAINT "Throttle_pkey" PRIMARY KEY ("key")
);

-- Written by hand (Prisma's schema cannot say it): throttle state is not worth a WAL write; a
-- crash may forget recent attempts, never a user's data.
ALTER TABLE "Throttle" SET UNLOGGED;

-- Sign-in and sign-up attempts were counted in RateLimit's fixed windows; that table now holds
-- API-token quotas only.
DELETE FROM "RateLimit" WHERE "key" NOT LIKE 'token:%';

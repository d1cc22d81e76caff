-- Throttle counters are counted on every API-token request. An unlogged table writes no WAL, so a
-- request that only bumps a counter never waits for a WAL flush; after a crash the counters start
-- from zero, which is harmless for a throttle. Prisma's schema language cannot express table
-- persistence, so this one statement is written by hand (the schema-only comparison in
-- scripts/migrations.integration.test.ts compares columns, indexes and constraints, not persistence).
ALTER TABLE "RateLimit" SET UNLOGGED;

import { defineConfig } from 'prisma/config';

// DATABASE_URL is read leniently: `prisma generate` must work on a machine without a database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});

import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/generated/prisma/client';
import { env } from './env';

export type { Prisma } from '@/generated/prisma/client';
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

// One client per process, kept across hot reloads in development.
const holder = globalThis as unknown as { __marginaliaDb?: PrismaClient };

export function db(): PrismaClient {
  holder.__marginaliaDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: env.databaseUrl(), max: env.dbPoolSize(), connectionTimeoutMillis: 3000 }),
  });
  return holder.__marginaliaDb;
}

import { beforeEach, describe, expect, it } from 'vitest';
import { resetDb } from '@/scripts/test/db';
import { createUser, verifyCredentials } from './users';

describe('users service', () => {
  beforeEach(resetDb);

  it('makes exactly one admin when the first sign-ups race', async () => {
    const users = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createUser(null, { email: `u${i}@example.test`, name: `U${i}`, password: 'password123' })),
    );
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('stores an argon2id hash and verifies credentials case-insensitively by email', async () => {
    await createUser(null, { email: 'ana@example.test', name: 'Ana', password: 'password123' });
    const { db } = await import('./db');
    expect((await db().user.findFirstOrThrow()).passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyCredentials('ANA@example.test ', 'password123')).not.toBeNull();
    expect(await verifyCredentials('ana@example.test', 'wrong-password')).toBeNull();
    expect(await verifyCredentials('nobody@example.test', 'password123')).toBeNull();
  });
});

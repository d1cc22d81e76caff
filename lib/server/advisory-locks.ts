/**
 * Every PostgreSQL advisory lock id the app takes, in one place, so no two uses can collide.
 * The values are arbitrary but fixed: processes of different versions must agree on them (a
 * rolling start runs the old and the new code against one database). No 'server-only' import:
 * scripts/migrate.ts runs outside Next.
 */
export const ADVISORY_LOCKS = {
  /** Session lock around applying migrations (scripts/migrate.ts): each one applied once. */
  migrations: 72707369,
  /** Serialises account creation and role changes: one first admin, never zero admins. */
  userRoles: 72707370,
  /** Held from an event's insert to its commit, so event ids are in commit order (events.ts). */
  eventOrder: 72707372,
} as const;

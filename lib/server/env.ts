import 'server-only';

/**
 * The only reader of process.env in the application. Values are read when asked for, so that
 * `next build` (which imports modules but serves nothing) needs no configuration.
 */
function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start the app with \`npm start\`, which sets it up`);
  return v;
}

export const env = {
  databaseUrl: () => required('DATABASE_URL'),
  authSecret: () => process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET ?? required('AUTH_SECRET'),
  registration: (): 'open' | 'invite' => (process.env.REGISTRATION === 'invite' ? 'invite' : 'open'),
  isProduction: () => process.env.NODE_ENV === 'production',
  logLevel: () => process.env.LOG_LEVEL ?? 'info',
  /** Extra origins allowed to send cookie-authenticated unsafe requests (comma-separated). */
  trustedOrigins: () => (process.env.TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  /** Database pool size per process. */
  dbPoolSize: () => Number(process.env.DB_POOL_SIZE ?? 10),
};

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

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export const env = {
  databaseUrl: () => required('DATABASE_URL'),
  authSecret: () => process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET ?? required('AUTH_SECRET'),
  registration: (): 'open' | 'invite' => (process.env.REGISTRATION === 'invite' ? 'invite' : 'open'),
  /** `next dev`: the only mode whose CSP allows 'unsafe-eval' (React's dev tooling needs it). */
  isDevelopment: () => process.env.NODE_ENV === 'development',
  /** The public URL users reach the app at (next-auth's NEXTAUTH_URL); https means HSTS is sent. */
  publicUrl: () => process.env.NEXTAUTH_URL ?? null,
  logLevel: () => process.env.LOG_LEVEL ?? 'info',
  /** Extra origins allowed to send cookie-authenticated unsafe requests (comma-separated). */
  trustedOrigins: () => (process.env.TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  /** Set by scripts/serve.mjs, which overwrites the client-address header on every request. */
  clientAddressHeaderTrusted: () => process.env.MARGINALIA_CLIENT_ADDRESS_HEADER === '1',
  /** Anonymous sign-ups an hour from one client address. */
  signUpRateLimit: () => positiveInt(process.env.SIGN_UP_RATE_LIMIT, 30),
  /** Requests per minute allowed to one API token (RateLimit-* headers tell clients where they stand). */
  apiTokenRateLimit: () => positiveInt(process.env.API_TOKEN_RATE_LIMIT, 1200),
  /** Database pool size per process. */
  dbPoolSize: () => Number(process.env.DB_POOL_SIZE ?? 10),
  /** Memory for per-document snapshots (lib/server/snapshots.ts), in MiB. */
  snapshotCacheBytes: () => positiveInt(process.env.SNAPSHOT_CACHE_MB, 256) * 1024 * 1024,
  /** Live event streams one user may hold open on one server process; more are answered 429. */
  streamsPerUser: () => positiveInt(process.env.STREAMS_PER_USER, 10),
  /** Where notification emails go out (`smtp://user:pass@host:587`, `smtps://…`); unset = no email. */
  smtpUrl: () => process.env.SMTP_URL || null,
  /** The sender of notification emails; default `Marginalia <marginalia@<the app's host>>`. */
  mailFrom: () => process.env.MAIL_FROM || null,
  /** The app's public URL for links in emails: APP_URL, else NEXTAUTH_URL, else the request's origin. */
  appUrl: () => process.env.APP_URL || process.env.NEXTAUTH_URL || null,
  /** Live event streams one server process holds at most; more are answered 429. */
  streamsPerProcess: () => positiveInt(process.env.STREAMS_PER_PROCESS, 5000),
};

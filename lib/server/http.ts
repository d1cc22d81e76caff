import 'server-only';
import { randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { AppError, isAppError } from '@/lib/domain/errors';
import { actorFromRequest, type SessionActor } from './auth';
import { mediaType, readText } from './body';
import { env } from './env';
import { log } from './log';
import { rateLimitHeaders } from './rate-limit';

/**
 * The route wrapper: every API handler is `route(async (ctx) => ...)`. It gives the handler the
 * request id, the authenticated actor, and zod-checked body/query parsing, and it turns
 * AppError into the error envelope of docs/api.md. Anything else is logged with the request id
 * and answered as a generic 500 (or 503 when the database is unreachable) without internals.
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Routes that take a whole document (import, new revision) allow 2 MiB of source, JSON-escaped. */
export const MAX_DOCUMENT_BODY_BYTES = 8 * 1024 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Ctx<P> {
  req: NextRequest;
  params: P;
  requestId: string;
  /** The signed-in actor; routes created with `{ auth: false }` get null when nobody is signed in. */
  actor: SessionActor;
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  query<S extends z.ZodType>(schema: S): z.infer<S>;
}

type Handler<P> = (ctx: Ctx<P>) => Promise<Response>;

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** A JSON answer whose body is already serialised (large content made off the request thread). */
export function rawJson(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

function errorResponse(e: AppError, requestId: string): Response {
  const error: Record<string, unknown> = { code: e.code, message: e.message };
  if (e.details !== undefined) error.details = e.details;
  return json({ error }, e.status, { 'X-Request-Id': requestId, ...(e.headers ?? {}) });
}

function zodDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const fields = [...new Set(r.error.issues.map((i) => i.path.join('.') || what))];
    throw new AppError('bad_request', `Invalid ${what}: ${fields.join(', ')}`, zodDetails(r.error));
  }
  return r.data;
}

async function readJson(req: NextRequest, limit: number): Promise<unknown> {
  if (mediaType(req) !== 'application/json') throw new AppError('bad_request', 'Send the body as application/json');
  const text = await readText(req, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Request body is not valid JSON');
  }
}

/**
 * Cookie-authenticated unsafe requests must come from our own pages. Browsers send Origin on
 * cross-origin POSTs and Sec-Fetch-Site everywhere modern; either one naming another site is
 * refused. Bearer-token requests carry no ambient authority and are exempt.
 */
export function checkSameOrigin(req: Request): void {
  if (!UNSAFE.has(req.method)) return;
  if (req.headers.get('sec-fetch-site') === 'cross-site') throw new AppError('forbidden', 'Cross-site request refused');
  const origin = req.headers.get('origin');
  if (!origin) return;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused');
  }
  if (originHost === host || env.trustedOrigins().includes(origin)) return;
  throw new AppError('forbidden', 'Cross-site request refused');
}

const DB_DOWN_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|Can't reach database|the database system is (starting up|shutting down)|terminating connection due to administrator command|Server has closed the connection|Code: `(08\d\d\d|57P0[123])`/i;

/** True for failures that mean "the database cannot be reached right now". */
export function isDatabaseUnavailable(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const o = cur as { code?: unknown; message?: unknown; kind?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'P1001', 'P1002', 'P1017', '57P01', '57P03'].includes(o.code)) return true;
    // postgres.js (db.ts hotQuery): its own connection failures, and SQLSTATE class 08 / 57P0x.
    if (typeof o.code === 'string' && /^(CONNECT_TIMEOUT|CONNECTION_(CLOSED|DESTROYED|ENDED)|08\d{3}|57P0[123])$/.test(o.code)) return true;
    if (o.kind === 'DatabaseNotReachable' || o.kind === 'ConnectionClosed') return true;
    // Prisma reports driver failures with the SQLSTATE in the message: class 08 (connection
    // exception) and 57P01-57P03 (server shutting down / restarting / unavailable).
    if (typeof o.message === 'string' && DB_DOWN_MESSAGE.test(o.message)) return true;
    cur = o.cause;
  }
  return false;
}

interface RouteOptions {
  /** false: anonymous requests reach the handler (actor null). */
  auth?: boolean;
  /** false: do not identify the caller at all (next-auth's own endpoints, which do their own checks). */
  identify?: boolean;
  maxBodyBytes?: number;
}

export function route<P = Record<string, never>>(handler: Handler<P>, opts: RouteOptions = {}) {
  const needsAuth = opts.auth !== false;
  const identify = opts.identify !== false;
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (req: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 64) || randomUUID();
    try {
      const actor = identify ? await actorFromRequest(req.headers, req.cookies) : null;
      if (actor?.via === 'cookie') checkSameOrigin(req);
      if (needsAuth && !actor) throw new AppError('unauthorized', 'Sign in first');
      const ctx: Ctx<P> = {
        req,
        params: (await context.params) ?? ({} as P),
        requestId,
        actor: actor as SessionActor,
        body: async (schema) => parseWith(schema, await readJson(req, limit), 'request body'),
        query: (schema) => parseWith(schema, Object.fromEntries(req.nextUrl.searchParams), 'query'),
      };
      const res = await handler(ctx);
      res.headers.set('X-Request-Id', requestId);
      if (actor?.rateLimit) for (const [k, v] of Object.entries(rateLimitHeaders(actor.rateLimit))) res.headers.set(k, v);
      return res;
    } catch (e) {
      if (isAppError(e)) return errorResponse(e, requestId);
      if (isDatabaseUnavailable(e)) {
        log('warn', 'database unavailable', { requestId, path: req.nextUrl.pathname });
        return errorResponse(new AppError('unavailable', 'The database cannot be reached; try again shortly', undefined, { 'Retry-After': '2' }), requestId);
      }
      log('error', 'unhandled error', { requestId, method: req.method, path: req.nextUrl.pathname, err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) });
      return errorResponse(new AppError('internal', `Something went wrong on our side (request ${requestId})`), requestId);
    }
  };
}

/** The Idempotency-Key header, checked; null when absent. */
export function idempotencyKey<S extends z.ZodType<string>>(req: Request, schema: S): string | null {
  const raw = req.headers.get('idempotency-key');
  return raw === null ? null : parseWith(schema, raw, 'Idempotency-Key header');
}

/**
 * Calling the real route handlers in-process, as the browser or a script sends requests: the
 * route wrapper, auth, zod and the error envelope all run; only the HTTP server is left out.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { expect } from 'vitest';
import * as usersRoute from '@/app/api/users/route';
import { sessionToken } from './db';

export const ORIGIN = 'http://localhost:3000';

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface CallOpts {
  /** A JSON body (sent with `Content-Type: application/json` unless headers say otherwise). */
  body?: unknown;
  /** A body sent as is. */
  raw?: string | Uint8Array;
  /** A session token (the value of the next-auth session cookie). */
  cookie?: string;
  /** An API token, sent as `Authorization: Bearer`. */
  token?: string;
  headers?: Record<string, string>;
  params?: Record<string, string | string[]>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null for an empty one. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read any shape
  text: string;
}

/** Builds the request the way the API's clients do and runs it through `handler`. */
export function request(method: string, path: string, o: CallOpts = {}): NextRequest {
  const headers: Record<string, string> = { host: 'localhost:3000', ...o.headers };
  if ((o.body !== undefined || o.raw !== undefined) && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  if (o.cookie) headers.cookie = `next-auth.session-token=${o.cookie}`;
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  return new NextRequest(`${ORIGIN}${path}`, { method, headers, body: body as BodyInit | undefined });
}

/**
 * Runs `handler` on the request and reads the whole answer. An event stream never ends, so for
 * one only the status and headers are kept: the request is aborted and the stream cancelled.
 */
export async function call(handler: unknown, method: string, path: string, o: CallOpts = {}): Promise<CallResult> {
  const controller = new AbortController();
  const req = new NextRequest(request(method, path, o), { signal: controller.signal });
  const res = await (handler as RouteHandler)(req, { params: Promise.resolve(o.params ?? {}) });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    controller.abort();
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, json: null, text: '' };
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Signs up through `POST /api/users` and returns the user with a session cookie. */
export async function signUp(name: string) {
  const email = `${name.toLowerCase()}@example.test`;
  const r = await call(usersRoute.POST, 'POST', '/api/users', { body: { email, name, password: 'correct horse' } });
  expect(r.status).toBe(201);
  return { id: r.json.user.id as string, role: r.json.user.role as string, cookie: await sessionToken(r.json.user.id) };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const API_DIR = path.resolve(import.meta.dirname, '../../app/api');

export interface Endpoint {
  /** `METHOD /api/path/[param]`, as written in the route's folder names. */
  key: string;
  method: string;
  route: string;
  handler: unknown;
}

/** Every exported method of every app/api/**\/route.ts on disk (found when called, not listed). */
export async function apiEndpoints(): Promise<Endpoint[]> {
  const files = readdirSync(API_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.split(path.sep).at(-1) === 'route.ts');
  const out: Endpoint[] = [];
  for (const file of files.sort()) {
    const mod = (await import(/* @vite-ignore */ path.join(API_DIR, file))) as Record<string, unknown>;
    const route = `/api/${path.dirname(file).split(path.sep).join('/')}`.replace(/\/\.$/, '');
    for (const method of METHODS) if (typeof mod[method] === 'function') out.push({ key: `${method} ${route}`, method, route, handler: mod[method] });
  }
  return out;
}

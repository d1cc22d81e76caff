import 'server-only';
import { NextRequest } from 'next/server';
import { AppError } from '@/lib/domain/errors';
import { mediaType, readText } from './body';

/**
 * next-auth's POST endpoints (sign-in, sign-out, CSRF-checked forms) read their body themselves,
 * with rules of their own: JSON is accepted too, a repeated field counts by its last copy.
 * Anything the throttle reads must be exactly what next-auth then checks, so every POST to
 * /api/auth/* is read here first, within a small limit, and refused unless it is an
 * `application/x-www-form-urlencoded` form with each field once. next-auth then gets a copy of
 * the same bytes.
 */
export const AUTH_BODY_LIMIT = 16 * 1024;

export interface AuthForm {
  fields: ReadonlyMap<string, string>;
  /** The same request with the already-read body, for next-auth. */
  request: NextRequest;
}

export async function readAuthForm(req: NextRequest): Promise<AuthForm> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new AppError('bad_request', 'Send the form as application/x-www-form-urlencoded');
  }
  const text = await readText(req, AUTH_BODY_LIMIT);
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) throw new AppError('bad_request', `The field "${name.slice(0, 40)}" is sent more than once`, { field: name.slice(0, 40) });
    if (value.includes('\u0000')) throw new AppError('bad_request', `The field "${name.slice(0, 40)}" contains a NUL character`, { field: name.slice(0, 40) });
    fields.set(name, value);
  }
  const headers = new Headers(req.headers);
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  return { fields, request: new NextRequest(req.url, { method: req.method, headers, body: text }) };
}

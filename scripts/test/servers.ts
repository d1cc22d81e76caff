/**
 * Helpers for tests and benchmarks that run whole server processes: start `npm start`
 * (scripts/start.ts) on a port, wait until it is healthy, stop it, and get an API token.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export function startServer(port: number, env: Record<string, string>, opts: { stdout?: boolean } = {}): ChildProcess {
  // start.ts runs in this very process (tsx as a loader, not tsx's CLI): the CLI relays SIGTERM
  // and SIGKILLs its child when the child does not acknowledge within 30 ms, which left Next
  // running, orphaned, after a "stop" under load.
  return spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', opts.stdout ? 'inherit' : 'ignore', opts.stdout ? 'inherit' : 'ignore'],
  });
}

export async function waitHealthy(base: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fetch(`${base}/api/health`).then((r) => r.ok, () => false))) {
    if (Date.now() > until) throw new Error(`${base} did not become healthy`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function stopServer(child: ChildProcess | null): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Signs up (or in) through the real endpoints and returns the session's Cookie header. */
export async function sessionCookie(base: string, user: { email: string; name: string; password: string }): Promise<string> {
  await fetch(`${base}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signin = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password }),
  });
  return signin.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Signs up (or in) through the real endpoints and returns an API token's Authorization header. */
export async function apiUser(base: string, user: { email: string; name: string; password: string }): Promise<{ authorization: string }> {
  const session = await sessionCookie(base, user);
  const res = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session }, body: JSON.stringify({ name: 'script' }) });
  if (!res.ok) throw new Error(`could not get a token (${res.status})`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

/** The first document and its plain text, as a script sees them. */
export async function firstDocument(base: string, auth: { authorization: string }): Promise<{ id: string; text: string }> {
  const { documents } = (await (await fetch(`${base}/api/documents`, { headers: auth })).json()) as { documents: { id: string }[] };
  const id = documents[0].id;
  const doc = (await (await fetch(`${base}/api/documents/${id}`, { headers: auth })).json()) as { document: { revision: { text: string } } };
  return { id, text: doc.document.revision.text };
}

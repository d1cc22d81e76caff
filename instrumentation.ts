/**
 * Run by Next once in each server process as it starts. In the Node runtime it registers the
 * requests scripts/serve.mjs serves without Next's request pipeline (lib/server/direct.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') (await import('./lib/server/direct')).registerDirect();
}

/**
 * Prints a Node process's process.memoryUsage() after a full GC, as JSON with its pid:
 *   node --experimental-websocket scripts/bench/heap-usage.mjs <pid>
 * SIGUSR1 makes the process open its inspector on 127.0.0.1:9229; this connects, collects
 * garbage, reads the numbers, and closes the inspector so the port is free for the next process.
 * Plain JavaScript: it runs without tsx (see proc.ts, heapUsage).
 */
const pid = Number(process.argv[2]);
process.kill(pid, 'SIGUSR1');
let targets = null;
for (let i = 0; i < 100 && !targets; i++) {
  targets = await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json(), () => null);
  if (!targets) await new Promise((r) => setTimeout(r, 100));
}
if (!targets?.length) process.exit(1);
const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  ws.addEventListener('open', resolve);
  ws.addEventListener('error', reject);
});
let next = 0;
const waiting = new Map();
ws.addEventListener('message', (m) => {
  const d = JSON.parse(m.data);
  waiting.get(d.id)?.(d.result);
});
const call = (method, params = {}) => new Promise((resolve) => {
  const id = ++next;
  waiting.set(id, resolve);
  ws.send(JSON.stringify({ id, method, params }));
});
await call('HeapProfiler.collectGarbage');
const r = await call('Runtime.evaluate', { expression: 'JSON.stringify({ pid: process.pid, ...process.memoryUsage() })', returnByValue: true });
// Not awaited: closing the inspector ends this very session.
ws.send(JSON.stringify({ id: ++next, method: 'Runtime.evaluate', params: { expression: "process.getBuiltinModule('node:inspector').close()" } }));
console.log(r.result.value);
// Wait until the port is free again, so the next process can open its inspector there.
for (let i = 0; i < 50; i++) {
  if (!(await fetch('http://127.0.0.1:9229/json/list').then(() => true, () => false))) break;
  await new Promise((r) => setTimeout(r, 100));
}
process.exit(0);

import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { doc, makeDocument, makeUser, resetDb } from '@/scripts/test/db';
import { createAnnotation } from './annotations';
import type { SessionActor } from './auth';
import { createComment } from './comments';
import { db } from './db';
import { openEventStream } from './event-stream';
import { patchUser } from './users';

interface Frame { id?: string; event: string; data: unknown }

/** Reads SSE frames from a stream as they arrive. */
function reader(stream: ReadableStream<Uint8Array>) {
  const r = stream.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const frames: Frame[] = [];
  let done = false;
  const pump = (async () => {
    for (;;) {
      const { value, done: end } = await r.read();
      if (end) { done = true; return; }
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: Partial<Frame> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
        }
        if (f.event) frames.push(f as Frame);
      }
    }
  })();
  return {
    frames,
    get done() { return done; },
    async until(pred: (fs: Frame[]) => boolean, ms = 5000) {
      const end = Date.now() + ms;
      while (!pred(frames)) {
        if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(frames.map((f) => [f.id, f.event]))}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    pump,
  };
}

const actorOf = async (a: { id: string }): Promise<SessionActor> => {
  const u = await db().user.findUniqueOrThrow({ where: { id: a.id } });
  return { id: u.id, role: u.role, name: u.name, email: u.email, via: 'cookie', sessionVersion: u.sessionVersion };
};
const ids = (fs: Frame[]) => fs.filter((f) => f.id).map((f) => Number(f.id));

describe('event stream', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  async function setup() {
    await resetDb();
    const document = await makeDocument();
    const other = await makeDocument('# Other\n\nAnother text entirely.');
    const ana = await makeUser('analyst', 'Ana');
    const ben = await makeUser('analyst', 'Ben');
    const admin = await makeUser('admin', 'Adm');
    const text = document.revision.text;
    const at = (word: string) => describeRange(text, text.indexOf(word), text.indexOf(word) + word.length);
    return { document, other, ana, ben, admin, at };
  }
  beforeEach(async () => {
    s = await setup();
  });

  it('replays after Last-Event-ID, then goes live with no gap and no duplicate', async () => {
    const a = (await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery') })).body.annotation;
    for (let i = 0; i < 8; i++) await createComment(s.ana, a.id, { body: doc(`c${i}`) });
    const all = await db().event.findMany({ where: { documentId: s.document.id }, orderBy: { id: 'asc' } });
    expect(all).toHaveLength(10); // document.created + annotation.created + 8 comments
    const eighth = all[7].id;

    const abort = new AbortController();
    const r = reader(await openEventStream(await actorOf(s.ben), s.document.id, eighth, abort.signal));
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    expect(ids(r.frames)).toEqual([Number(all[8].id), Number(all[9].id)]);

    await createComment(s.ben, a.id, { body: doc('live') });
    await r.until((fs) => ids(fs).length === 3);
    const live = r.frames.filter((f) => f.id).at(-1)!;
    expect(live.event).toBe('comment.created');
    expect(live.data).toMatchObject({ annotationId: a.id, html: '<p>live</p>' });
    expect(ids(r.frames)).toEqual([Number(all[8].id), Number(all[9].id), Number(all[9].id) + 1]);
    abort.abort();
  });

  it('sends only the document’s own events, and presence of who is reading', async () => {
    const abort = new AbortController();
    const r = reader(await openEventStream(await actorOf(s.ben), s.document.id, 0n, abort.signal));
    await r.until((fs) => fs.some((f) => f.event === 'presence'));
    expect(r.frames.find((f) => f.event === 'presence')?.data).toEqual({ users: [{ id: s.ben.id, name: 'Ben' }] });
    const t = s.other.revision.text;
    await createAnnotation(s.ana, s.other.id, { tag: 'evidence', target: describeRange(t, 0, 5) });
    await createAnnotation(s.ana, s.document.id, { tag: 'speculation', target: s.at('curly') });
    await r.until((fs) => fs.some((f) => f.event === 'annotation.created'));
    expect(r.frames.filter((f) => f.event === 'annotation.created').map((f) => (f.data as { documentId: string }).documentId)).toEqual([s.document.id]);
    abort.abort();
    await new Promise((res) => setTimeout(res, 100));
    expect(await db().presence.count()).toBe(0);
  });

  it('re-checks every receiver: a deactivated user gets no further event and is closed', async () => {
    const abort = new AbortController();
    const r = reader(await openEventStream(await actorOf(s.ben), s.document.id, 0n, abort.signal));
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    await patchUser(s.admin, s.ben.id, { active: false });
    await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('curly') });
    await r.until((fs) => fs.some((f) => f.event === 'revoked'));
    expect(r.frames.some((f) => f.event === 'annotation.created')).toBe(false);
    await r.pump;
    expect(r.done).toBe(true);
  });

  it('replay leaves out the content of resources deleted later', async () => {
    const a = (await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery'), comment: { body: doc('secret') } })).body.annotation;
    const { deleteAnnotation } = await import('./annotations');
    await deleteAnnotation(s.ana, a.id);
    const abort = new AbortController();
    const r = reader(await openEventStream(await actorOf(s.ben), s.document.id, 0n, abort.signal));
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    expect(r.frames.filter((f) => f.id).map((f) => f.event)).toEqual(['document.created', 'annotation.deleted']);
    expect(JSON.stringify(r.frames)).not.toContain('secret');
    abort.abort();
  });
});

describe('event hub ordering', () => {
  it('delivers a burst crossing 9 -> 10 -> 100 in id order, without skipping (ids compare as numbers)', async () => {
    await resetDb();
    const document = await makeDocument();
    const ana = await makeUser('analyst', 'Ana');
    const ben = await makeUser('analyst', 'Ben');
    const text = document.revision.text;
    const abort = new AbortController();
    const r = reader(await openEventStream(await actorOf(ben), document.id, 0n, abort.signal));
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    const target = describeRange(text, 0, 6);
    // Concurrent writes make the hub read several ids per notification (e.g. 8, 9, 10, 11).
    for (let round = 0; round < 12; round++) {
      await Promise.all(Array.from({ length: 10 }, () => createAnnotation(ana, document.id, { tag: 'evidence', target })));
    }
    const total = await db().event.count({ where: { documentId: document.id } });
    await r.until((fs) => ids(fs).length === total, 15_000);
    expect(ids(r.frames)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    abort.abort();
  }, 60_000);
});

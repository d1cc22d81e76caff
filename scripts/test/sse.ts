/** Reads Server-Sent-Events frames from a web stream as they arrive (the live streams' integration tests). */
export interface Frame { id?: string; event: string; data: unknown }

/** Reads SSE frames from a stream as they arrive. */
export function sseReader(stream: ReadableStream<Uint8Array>) {
  const r = stream.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const frames: Frame[] = [];
  let done = false;
  const pump = (async () => {
    for (;;) {
      // An aborted or failed stream ends the reading (its reason is the test's business).
      const { value, done: end } = await r.read().catch(() => ({ value: undefined, done: true as const }));
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
    async until(pred: (fs: Frame[]) => boolean, ms = 10_000) {
      const end = Date.now() + ms;
      while (!pred(frames)) {
        if (Date.now() > end) throw new Error(`timed out; frames: ${JSON.stringify(frames.map((f) => [f.id, f.event]))}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    pump,
  };
}


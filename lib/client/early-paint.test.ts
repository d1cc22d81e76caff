import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUT, earlyPaintModule } from '../../scripts/build-early-paint.mjs';

describe('the document page\'s early painter', () => {
  it('is the bundle of its sources as they are now (else: node scripts/build-early-paint.mjs)', async () => {
    expect(readFileSync(OUT, 'utf8')).toBe(await earlyPaintModule());
  });

  it('can be written as an inline script: nothing in it ends the element or opens a comment', async () => {
    const { EARLY_PAINT_SCRIPT } = await import('@/generated/early-paint');
    expect(EARLY_PAINT_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(EARLY_PAINT_SCRIPT.length).toBeLessThan(8_000);
  });
});

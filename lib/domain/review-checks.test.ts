import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS, reviewChecks, type CheckAnnotation, type CheckLink, type ReviewInput } from './review-checks';
import { CREDIBILITIES, LIKELIHOODS, RELIABILITIES } from './tradecraft';

const TEXT = 'Heading\nIt is likely that talks resume. We assess with high confidence that a strike is likely.\nThe plant may close.';
const at = (s: string) => ({ start: TEXT.indexOf(s), end: TEXT.indexOf(s) + s.length });

let n = 0;
function ann(tag: CheckAnnotation['tag'], extra: Partial<CheckAnnotation> = {}): CheckAnnotation {
  n++;
  return { id: `${tag}-${n}`, tag, status: 'open', quote: 'talks resume', position: at('talks resume'), ...extra };
}
const judged = (extra: Partial<CheckAnnotation> = {}) => ann('assessment', { likelihood: 'likely', confidence: 'moderate', ...extra });
const link = (source: CheckAnnotation, target: CheckAnnotation, type: CheckLink['type'] = 'supports'): CheckLink => ({ id: `l-${++n}`, sourceId: source.id, targetId: target.id, type });
const run = (annotations: CheckAnnotation[], links: CheckLink[] = [], text = TEXT) => reviewChecks({ annotations, links, text });
const kinds = (input: ReturnType<typeof run>, id?: string) => input.filter((c) => !id || c.annotationId === id).map((c) => c.kind);

describe('assessments', () => {
  it('flags a bare assessment: no likelihood, no confidence, no evidence', () => {
    const a = ann('assessment');
    const r = run([a]);
    expect(kinds(r)).toEqual(['missing_likelihood', 'missing_confidence', 'unsupported']);
    expect(r.map((c) => c.message)).toEqual(['This assessment states no likelihood.', 'This assessment states no confidence.', 'No evidence supports this assessment.']);
    expect(r.every((c) => c.annotationId === a.id)).toBe(true);
  });

  it('a complete, supported assessment has no checks', () => {
    const a = judged();
    const e = ann('evidence', { reliability: 'B', credibility: 2 });
    expect(run([a, e], [link(e, a)])).toEqual([]);
  });

  it('reads a supports link from the assessment to the evidence as the evidence supporting it', () => {
    const a = judged();
    const e = ann('evidence', { reliability: 'B', credibility: 2 });
    expect(run([a, e], [link(a, e)])).toEqual([]);
  });

  it('flags an assessment supported only by speculation, naming it', () => {
    const a = judged();
    const s = ann('speculation');
    expect(run([a, s], [link(s, a)])).toEqual([{ kind: 'speculation_only', annotationId: a.id, message: 'This assessment is supported only by speculation, not by evidence.', related: [s.id] }]);
  });

  it('contradicting or depending-on links are not support; links to missing annotations are ignored', () => {
    const a = judged();
    const e = ann('evidence', { reliability: 'B', credibility: 2 });
    expect(kinds(run([a, e], [link(e, a, 'contradicts')]))).toEqual(['unsupported']);
    expect(kinds(run([a, e], [link(a, e, 'depends_on')]))).toEqual(['unsupported']);
    expect(kinds(run([a], [{ id: 'x', sourceId: 'gone', targetId: a.id, type: 'supports' }]))).toEqual(['unsupported']);
  });

  it('evidence resolved as rejected no longer supports', () => {
    const a = judged();
    const e = ann('evidence', { reliability: 'B', credibility: 2, status: 'resolved', outcome: 'rejected' });
    expect(kinds(run([a, e], [link(e, a)]))).toEqual(['unsupported']);
  });
});

describe('weak evidence', () => {
  it('a likely assessment supported only by F6 evidence is flagged; adding B2 evidence clears it', () => {
    const a = judged();
    const f6 = ann('evidence', { reliability: 'F', credibility: 6 });
    const links = [link(f6, a)];
    expect(run([a, f6], links)).toEqual([
      { kind: 'weak_evidence', annotationId: a.id, message: 'Judged likely, 55–80 %, but its supporting evidence is all weakly graded (F6).', related: [f6.id] },
    ]);
    const b2 = ann('evidence', { reliability: 'B', credibility: 2 });
    expect(run([a, f6, b2], [...links, link(b2, a)])).toEqual([]);
  });

  it('names every weak grade', () => {
    const a = judged({ likelihood: 'almost_certain', quote: 'talks resume' });
    const e1 = ann('evidence', { reliability: 'E', credibility: 3 });
    const e2 = ann('evidence', { reliability: 'B', credibility: 5 });
    const r = run([a, e1, e2], [link(e1, a), link(e2, a)]);
    expect(r.find((c) => c.kind === 'weak_evidence')?.message).toBe('Judged almost certain, 95–99 %, but its supporting evidence is all weakly graded (E3, B5).');
  });

  it('is only for likely or stronger, and only when every supporting grade is weak', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LIKELIHOODS), fc.array(fc.tuple(fc.constantFrom(...RELIABILITIES), fc.constantFrom(...CREDIBILITIES)), { minLength: 1, maxLength: 4 }), (likelihood, grades) => {
        const a = judged({ likelihood, quote: 'x', position: null });
        const ev = grades.map(([reliability, credibility]) => ann('evidence', { reliability, credibility }));
        const flagged = kinds(run([a, ...ev], ev.map((e) => link(e, a)))).includes('weak_evidence');
        const allWeak = grades.every(([r, c]) => 'EF'.includes(r) || c >= 5);
        expect(flagged).toBe(['likely', 'very_likely', 'almost_certain'].includes(likelihood) && allWeak);
      }),
    );
  });
});

describe('conflicting evidence', () => {
  it('flags evidence that both supports and contradicts the same judgment', () => {
    const a = judged();
    const e = ann('evidence', { reliability: 'B', credibility: 2 });
    const r = run([a, e], [link(e, a), link(e, a, 'contradicts')]);
    expect(r).toEqual([{ kind: 'conflicting_evidence', annotationId: a.id, message: 'An annotation both supports and contradicts this judgment; worth discussing.', related: [e.id] }]);
  });

  it('does not flag one piece supporting and another contradicting', () => {
    const a = judged();
    const e1 = ann('evidence', { reliability: 'B', credibility: 2 });
    const e2 = ann('evidence', { reliability: 'B', credibility: 2 });
    expect(run([a, e1, e2], [link(e1, a), link(e2, a, 'contradicts')])).toEqual([]);
  });
});

describe('the passage’s own wording', () => {
  const ev = ann('evidence', { reliability: 'A', credibility: 1 });
  const supported = (a: CheckAnnotation) => run([a, ev], [link(ev, a)]);

  it('flags a passage that says "likely" when the team set almost certain', () => {
    const a = judged({ likelihood: 'almost_certain', quote: 'talks resume', position: at('talks resume') });
    expect(supported(a)).toEqual([{ kind: 'wording_disagrees', annotationId: a.id, message: 'The passage says “likely” (likely, 55–80 %), but the team set almost certain, 95–99 %.' }]);
  });

  it('does not flag agreement, or a passage without estimative words', () => {
    expect(supported(judged({ likelihood: 'likely' }))).toEqual([]);
    expect(supported(judged({ likelihood: 'unlikely', quote: 'The plant may close.', position: at('The plant may close.') }))).toEqual([]);
  });

  it('reads an orphan’s quote', () => {
    expect(kinds(supported(judged({ likelihood: 'unlikely', quote: 'a strike is very likely', position: null })))).toEqual(['wording_disagrees']);
  });

  it('flags a sentence that mixes a likelihood and a confidence', () => {
    const a = judged({ quote: 'a strike', position: at('a strike') });
    expect(supported(a)).toEqual([
      { kind: 'mixed_likelihood_confidence', annotationId: a.id, message: 'One sentence states both a likelihood (“likely”) and a confidence (“with high confidence”); ICD 203 keeps them apart.' },
    ]);
  });
});

describe('page notes', () => {
  const note = (extra: Partial<CheckAnnotation> = {}) => ann('assessment', { quote: '', position: null, pageNote: true, ...extra });

  it('a bare page-note assessment gets the likelihood, confidence and support checks', () => {
    expect(kinds(run([note()]))).toEqual(['missing_likelihood', 'missing_confidence', 'unsupported']);
  });

  it('gets no wording check, whatever the text says, and comes first', () => {
    const n = note({ likelihood: 'almost_no_chance', confidence: 'low' });
    const e = ann('evidence', { reliability: 'B', credibility: 2 });
    const h = judged({ quote: 'a strike is likely', position: at('a strike is likely'), likelihood: 'almost_no_chance' });
    const r = run([h, e, n], [link(e, n), link(e, h)]);
    expect(kinds(r, n.id)).toEqual([]);
    expect(kinds(r, h.id)).toContain('wording_disagrees');
    const withCheck = note();
    expect(run([h, e, withCheck], [link(e, h)])[0].annotationId).toBe(withCheck.id);
  });
});

describe('needs source', () => {
  it('flags an open speculation that needs a source; supporting evidence or resolving clears it', () => {
    const s = ann('speculation', { needsSource: true });
    expect(run([s])).toEqual([{ kind: 'needs_source', annotationId: s.id, message: 'This speculation needs a source and is still open.' }]);
    const e = ann('evidence', { reliability: 'C', credibility: 3 });
    expect(run([s, e], [link(e, s)])).toEqual([]);
    expect(run([{ ...s, status: 'resolved', outcome: 'needs_source' }])).toEqual([]);
    expect(run([{ ...s, needsSource: false }])).toEqual([]);
  });
});

describe('resolved threads', () => {
  it('checks an assessment resolved as accepted, and skips one rejected, escalated or without outcome', () => {
    const base = { likelihood: null, confidence: null } as const;
    expect(kinds(run([judged({ ...base, status: 'resolved', outcome: 'accepted' })]))).toEqual(['missing_likelihood', 'missing_confidence', 'unsupported']);
    for (const outcome of ['rejected', 'escalated', 'needs_source', null] as const) expect(run([judged({ ...base, status: 'resolved', outcome })])).toEqual([]);
  });
});

describe('any input', () => {
  it('never throws, reports only known kinds about known annotations, with related ones that exist', () => {
    const tag = fc.constantFrom('evidence', 'speculation', 'assessment' as const);
    const annotation = fc.record({
      tag,
      status: fc.constantFrom('open', 'resolved' as const),
      likelihood: fc.option(fc.constantFrom(...LIKELIHOODS)),
      confidence: fc.option(fc.constantFrom('low', 'moderate', 'high' as const)),
      reliability: fc.option(fc.constantFrom(...RELIABILITIES)),
      credibility: fc.option(fc.constantFrom(...CREDIBILITIES)),
      needsSource: fc.boolean(),
      outcome: fc.option(fc.constantFrom('accepted', 'rejected', 'needs_source', 'escalated' as const)),
      start: fc.integer({ min: -5, max: TEXT.length + 5 }),
      len: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 6 }), fc.array(fc.tuple(fc.nat(7), fc.nat(7), fc.constantFrom('supports', 'contradicts', 'depends_on' as const)), { maxLength: 10 }), (raw, rawLinks) => {
        const annotations: CheckAnnotation[] = raw.map((r, i) => ({ ...r, id: `a${i}`, quote: TEXT.slice(Math.max(0, r.start), r.start + r.len), position: { start: r.start, end: r.start + r.len } }));
        const links: CheckLink[] = rawLinks.map(([s, t, type], i) => ({ id: `l${i}`, sourceId: `a${s}`, targetId: `a${t}`, type }));
        const input: ReviewInput = { annotations, links, text: TEXT };
        const ids = new Set(annotations.map((a) => a.id));
        for (const c of reviewChecks(input)) {
          expect(CHECK_KINDS).toContain(c.kind);
          expect(ids.has(c.annotationId)).toBe(true);
          for (const r of c.related ?? []) expect(ids.has(r)).toBe(true);
          expect(c.message).toMatch(/^[A-Z].*\.$/u);
        }
      }),
    );
  });
});

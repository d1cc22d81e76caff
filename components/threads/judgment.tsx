'use client';

/**
 * A highlight's tradecraft on its card (lib/domain/tradecraft.ts): an assessment's likelihood and
 * confidence ("likely, 55–80 %; moderate confidence"), evidence's source and Admiralty grade
 * ("B2", its meaning on hover), speculation's "needs source" mark, and a resolved thread's
 * outcome. The author or an admin changes them in the focused card; the outcome is asked when
 * resolving (ResolveForm).
 */
import { useId, useState } from 'react';
import type { ApiAnnotation, ApiTradecraft } from '@/lib/domain/api-types';
import {
  CONFIDENCES,
  CREDIBILITIES,
  CREDIBILITY_MEANING,
  LIKELIHOODS,
  OUTCOME_LABEL,
  OUTCOMES,
  RELIABILITIES,
  RELIABILITY_MEANING,
  grade,
  gradeMeaning,
  judgmentText,
  likelihoodLabel,
  type Outcome,
} from '@/lib/domain/tradecraft';
import { isSafeHref } from '@/lib/domain/links';
import { useThreadActions } from './actions';

/** The judgment as a line of the card; nothing for a tag with nothing set. */
export function JudgmentSummary({ a }: { a: ApiAnnotation }) {
  const parts: React.ReactNode[] = [];
  if (a.tag === 'assessment') {
    const text = judgmentText(a.likelihood, a.confidence);
    parts.push(text ? <span key="j" className="judgment">{text}</span> : <span key="j" className="judgment-missing">No likelihood or confidence yet</span>);
  }
  if (a.tag === 'evidence' && (a.reliability || a.credibility)) {
    parts.push(
      <abbr key="g" className="grade" title={gradeMeaning(a.reliability, a.credibility)}>
        {grade(a.reliability, a.credibility)}
        <span className="sr-only"> ({gradeMeaning(a.reliability, a.credibility)})</span>
      </abbr>,
    );
  }
  if (a.tag === 'evidence' && a.source) {
    const s = a.source.length > 60 ? `${a.source.slice(0, 59)}…` : a.source;
    parts.push(
      <span key="s" className="source">
        Source:{' '}
        {isSafeHref(a.source) && /^https?:/i.test(a.source) ? (
          <a href={a.source} target="_blank" rel="noopener noreferrer nofollow">{s}</a>
        ) : (
          s
        )}
      </span>,
    );
  }
  if (a.tag === 'speculation' && a.needsSource) parts.push(<span key="n" className="needs-source">Needs source</span>);
  if (a.status === 'resolved' && a.outcome) {
    parts.push(
      <span key="o" className={`outcome outcome-${a.outcome}`} title={a.outcomeRationale ?? undefined}>
        {OUTCOME_LABEL[a.outcome]}
        {a.outcomeRationale ? <span className="outcome-rationale">: {a.outcomeRationale}</span> : null}
      </span>,
    );
  }
  return parts.length ? <p className="judgment-line">{parts}</p> : null;
}

type Judgment = Partial<Pick<ApiTradecraft, 'likelihood' | 'confidence' | 'source' | 'reliability' | 'credibility' | 'needsSource'>>;

/** The fields the author or an admin sets in the focused card, per tag. */
export function JudgmentEditor({ a, onQuote }: { a: ApiAnnotation; onQuote: string }) {
  const { judge } = useThreadActions();
  const id = useId();
  const save = (change: Judgment) => void judge(a.id, change).catch(() => {});
  const [source, setSource] = useState(a.source ?? '');
  const [sourceFor, setSourceFor] = useState(a.source);
  // A newer source from elsewhere (a live event) replaces the field's text.
  if (a.source !== sourceFor) {
    setSourceFor(a.source);
    setSource(a.source ?? '');
  }
  const saveSource = () => {
    const next = source.trim();
    if (next !== (a.source ?? '')) save({ source: next || null });
  };

  if (a.tag === 'assessment') {
    return (
      <fieldset className="judgment-editor">
        <legend className="sr-only">Judgment of {onQuote}</legend>
        <label>
          <span>Likelihood</span>
          <select value={a.likelihood ?? ''} onChange={(e) => save({ likelihood: (e.target.value || null) as Judgment['likelihood'] })}>
            <option value="">Not set</option>
            {LIKELIHOODS.map((l) => (
              <option key={l} value={l}>{likelihoodLabel(l)}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Confidence</span>
          <select value={a.confidence ?? ''} onChange={(e) => save({ confidence: (e.target.value || null) as Judgment['confidence'] })}>
            <option value="">Not set</option>
            {CONFIDENCES.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
      </fieldset>
    );
  }
  if (a.tag === 'evidence') {
    return (
      <fieldset className="judgment-editor">
        <legend className="sr-only">Source and grade of {onQuote}</legend>
        <label className="judgment-source">
          <span>Source</span>
          <input
            id={`${id}-source`}
            type="text"
            maxLength={2000}
            placeholder="Who or what, or a URL"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            onBlur={saveSource}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                saveSource();
              }
            }}
          />
        </label>
        <label>
          <span>Reliability</span>
          <select value={a.reliability ?? ''} onChange={(e) => save({ reliability: (e.target.value || null) as Judgment['reliability'] })}>
            <option value="">Not graded</option>
            {RELIABILITIES.map((r) => (
              <option key={r} value={r}>{r}: {RELIABILITY_MEANING[r]}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Credibility</span>
          <select value={a.credibility ?? ''} onChange={(e) => save({ credibility: e.target.value ? (Number(e.target.value) as Judgment['credibility']) : null })}>
            <option value="">Not graded</option>
            {CREDIBILITIES.map((c) => (
              <option key={c} value={c}>{c}: {CREDIBILITY_MEANING[c]}</option>
            ))}
          </select>
        </label>
      </fieldset>
    );
  }
  return (
    <label className="judgment-editor needs-source-toggle">
      <input type="checkbox" checked={a.needsSource} onChange={(e) => save({ needsSource: e.target.checked })} /> Needs source
    </label>
  );
}

/** Resolving asks for an outcome and an optional rationale (both may be left out). */
export function ResolveForm({ a, onQuote, onDone }: { a: ApiAnnotation; onQuote: string; onDone(): void }) {
  const { setStatus } = useThreadActions();
  const [outcome, setOutcome] = useState<Outcome | ''>(a.outcome ?? '');
  const [rationale, setRationale] = useState(a.outcomeRationale ?? '');
  const submit = () => {
    void setStatus(a.id, 'resolved', outcome ? { outcome, outcomeRationale: rationale.trim() || null } : undefined).catch(() => {});
    onDone();
  };
  return (
    <form
      className="resolve-form"
      aria-label={`Resolve ${onQuote}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
    >
      <fieldset>
        <legend>Outcome</legend>
        {OUTCOMES.map((o, i) => (
          <label key={o}>
            <input type="radio" name={`outcome-${a.id}`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} autoFocus={i === 0} /> {OUTCOME_LABEL[o]}
          </label>
        ))}
        <label>
          <input type="radio" name={`outcome-${a.id}`} value="" checked={outcome === ''} onChange={() => setOutcome('')} /> No outcome
        </label>
      </fieldset>
      <label className="resolve-rationale">
        <span>Rationale (optional)</span>
        <input type="text" maxLength={2000} value={rationale} onChange={(e) => setRationale(e.target.value)} disabled={!outcome} />
      </label>
      <div className="resolve-actions">
        <button type="submit" className="btn-primary">Resolve thread</button>
        <button type="button" className="btn-ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

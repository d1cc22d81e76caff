/** Weights and content negotiation (RFC 9110 §12), shared by the API's codings and the W3C routes' media types. */
const WEIGHT = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** A `q` parameter's value (RFC 9110 §12.4.2), or 0 (refused) when it does not parse. */
export function qWeight(v: string | undefined): number {
  return v !== undefined && WEIGHT.test(v) ? Number(v) : 0;
}

/**
 * Content negotiation of a response's coding (RFC 9110 §12.5.3): which of the codings the server
 * has (in its order of preference) the client's Accept-Encoding takes, by weight. A coding the
 * client does not name (nor `*`) or names with q=0 (or a weight that does not parse) is refused;
 * an entry that does not parse otherwise is ignored. null: send the identity.
 */
const ENTRY = /^([!#$%&'*+.^_`|~0-9a-z-]+)((?:\s*;\s*[!#$%&'*+.^_`|~0-9a-z-]+=[^;,\s]*)*)$/i;

function weights(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of header.split(',')) {
    const m = ENTRY.exec(raw.trim());
    if (!m) continue;
    let q = 1;
    for (const param of m[2].split(';').slice(1)) {
      const [k, v] = param.trim().split('=');
      // A weight that does not parse refuses the coding (as the Accept negotiation does).
      if (k.toLowerCase() === 'q') q = qWeight(v);
    }
    // Named twice: the lower weight holds.
    const name = m[1].toLowerCase();
    out.set(name, Math.min(q, out.get(name) ?? 1));
  }
  return out;
}

export function preferredEncoding<C extends string>(header: string | null, offered: readonly C[]): C | null {
  if (!header) return null;
  const w = weights(header);
  let best: C | null = null;
  let bestQ = 0;
  for (const c of offered) {
    const q = w.get(c) ?? w.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [c, q];
  }
  return best;
}

/**
 * An htmlparser2 tokenizer that keeps the parser's stack of open elements at most MAX_OPEN deep.
 *
 * htmlparser2's Parser keeps the open elements in an array whose top is index 0 (`unshift` on
 * every open tag), and searches it on every end tag. Thousands of unclosed tags (`<b>` repeated)
 * therefore cost time quadratic in their number: 2 MiB of them took minutes. Both sanitize-html and
 * parseDocument build that Parser themselves, but accept a `Tokenizer` class in the parser options;
 * this one sits between the real tokenizer and the Parser and drops every event of a start tag
 * (its name, attributes and end `>`) that would open an element below MAX_OPEN others. The tag is
 * gone as if it had not been written; its text, and its end tag (which then closes nothing or an
 * outer element of that name), go through as usual. Void elements (`br`, `img`, `hr`…) never
 * deepen the stack and are always kept.
 *
 * The depth is read from the Parser's own stack, so it is exact whatever htmlparser2's
 * implied-close rules are. If a future htmlparser2 renames that field, parsing throws (and the
 * import tests fail) instead of silently losing the bound.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

type TokenizerOptions = ConstructorParameters<typeof Tokenizer>[0];

/** The same list as htmlparser2's Parser: elements that are never pushed on its stack. */
const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

function stackOf(parser: TokenizerCallbacks): readonly unknown[] {
  const stack = (parser as unknown as { stack?: unknown }).stack;
  if (!Array.isArray(stack)) throw new Error('htmlparser2 Parser has no stack of open elements: update html-import-tokenizer.ts');
  return stack;
}

/** A Tokenizer class whose parser never holds more than `maxOpen` open elements. */
export function depthCappedTokenizer(maxOpen: number): typeof Tokenizer {
  return class DepthCappedTokenizer extends Tokenizer {
    private readonly written: { source: string };

    constructor(options: TokenizerOptions, parser: TokenizerCallbacks) {
      let dropping = false;
      const written = { source: '' };
      const capped: TokenizerCallbacks = {
        onattribdata: (s, e) => dropping || parser.onattribdata(s, e),
        onattribentity: (cp) => dropping || parser.onattribentity(cp),
        onattribend: (q, e) => dropping || parser.onattribend(q, e),
        onattribname: (s, e) => dropping || parser.onattribname(s, e),
        oncdata: (s, e, o) => parser.oncdata(s, e, o),
        onclosetag: (s, e) => parser.onclosetag(s, e),
        oncomment: (s, e, o) => parser.oncomment(s, e, o),
        ondeclaration: (s, e) => parser.ondeclaration(s, e),
        onend: () => parser.onend(),
        onopentagend: (e) => {
          if (dropping) dropping = false;
          else parser.onopentagend(e);
        },
        onopentagname: (s, e) => {
          const name = written.source.slice(s, e).toLowerCase();
          if (stackOf(parser).length >= maxOpen && !VOID.has(name)) dropping = true;
          else parser.onopentagname(s, e);
        },
        onprocessinginstruction: (s, e) => parser.onprocessinginstruction(s, e),
        onselfclosingtag: (e) => {
          if (dropping) dropping = false;
          else parser.onselfclosingtag(e);
        },
        ontext: (s, e) => parser.ontext(s, e),
        ontextentity: (cp, e) => parser.ontextentity(cp, e),
        isInForeignContext: () => parser.isInForeignContext?.() ?? false,
      };
      super(options, capped);
      this.written = written;
    }

    /** Indices from the tokenizer are offsets into everything written so far. */
    override write(chunk: string): void {
      this.written.source += chunk;
      super.write(chunk);
    }

    override reset(): void {
      this.written.source = '';
      super.reset();
    }
  };
}

/**
 * The article schema's nodes beyond StarterKit: tables and image figures (docs/architecture.md,
 * "Tables and images in articles").
 *
 * Tables use Tiptap's node names (table, tableRow, tableHeader, tableCell) and prosemirror-tables'
 * roles, so the editor edits them with prosemirror-tables (through @tiptap/pm). They are written
 * here rather than taken from @tiptap/extension-table, which is published only up to a version
 * older than the @tiptap/core in use and pins its peer to exactly that version. A cell holds
 * blocks (`block+`), like Tiptap's. Merged cells are not supported: in the editor, cells have the
 * `colspan`, `rowspan` and `colwidth` that prosemirror-tables reads, fixed at 1, 1 and null (pasted
 * spans are dropped); elsewhere cells have no attributes at all, so the stored JSON carries none
 * and any a client sends are dropped. Every row of a table has the same number of cells (checked
 * by `unevenTable`, which parseArticleContent calls). Both keep a table's grid no larger than its
 * cells, so no stored document can make the editor's table map (or its padding of short rows)
 * grow quadratically.
 *
 * An image is a `figure` block whose text is "Image: <alt>" ("Image" without alt text), shown as
 * a caption beside an image icon. No source is kept: the app never loads images from arbitrary
 * hosts (its Content-Security-Policy allows none), and the alt text is what a reader can use and
 * annotate. Its only mark is a link (an image inside a link keeps the link).
 */
import { mergeAttributes, Node, type Attribute } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { goToNextCell, tableEditing } from '@tiptap/pm/tables';

const TABLE_ROLES: Record<string, string> = { table: 'table', tableRow: 'row', tableCell: 'cell', tableHeader: 'header_cell' };

function fixed(value: unknown, what: string): Attribute {
  return {
    default: value,
    parseHTML: () => value,
    renderHTML: () => ({}),
    validate: (v: unknown) => {
      if (v !== value) throw new RangeError(`${what} are not supported`);
    },
  };
}

const cellAttributes = () => ({
  colspan: fixed(1, 'merged cells'),
  rowspan: fixed(1, 'merged cells'),
  colwidth: fixed(null, 'column widths'),
});

export const TableCell = Node.create<{ editable: boolean }>({
  name: 'tableCell',
  content: 'block+',
  isolating: true,
  addOptions: () => ({ editable: false }),
  addAttributes() {
    return this.options.editable ? cellAttributes() : {};
  },
  parseHTML: () => [{ tag: 'td' }],
  renderHTML: ({ HTMLAttributes }) => ['td', mergeAttributes(HTMLAttributes), 0],
});

export const TableHeader = Node.create<{ editable: boolean }>({
  name: 'tableHeader',
  content: 'block+',
  isolating: true,
  addOptions: () => ({ editable: false }),
  addAttributes() {
    return this.options.editable ? cellAttributes() : {};
  },
  parseHTML: () => [{ tag: 'th' }],
  renderHTML: ({ HTMLAttributes }) => ['th', mergeAttributes(HTMLAttributes), 0],
});

export const TableRow = Node.create({
  name: 'tableRow',
  content: '(tableCell | tableHeader)+',
  parseHTML: () => [{ tag: 'tr' }],
  renderHTML: ({ HTMLAttributes }) => ['tr', mergeAttributes(HTMLAttributes), 0],
});

export const Table = Node.create<{ editable: boolean }>({
  name: 'table',
  group: 'block',
  content: 'tableRow+',
  isolating: true,
  addOptions: () => ({ editable: false }),
  // prosemirror-tables finds the table nodes by this NodeSpec field (applied to every node type).
  extendNodeSchema: (extension) => (TABLE_ROLES[extension.name] ? { tableRole: TABLE_ROLES[extension.name] } : {}),
  parseHTML: () => [{ tag: 'table' }],
  renderHTML: ({ HTMLAttributes }) => ['table', mergeAttributes(HTMLAttributes), ['tbody', 0]],
  addProseMirrorPlugins() {
    return this.options.editable ? [tableEditing()] : [];
  },
  addKeyboardShortcuts(): Record<string, () => boolean> {
    if (!this.options.editable) return {};
    return {
      Tab: () => goToNextCell(1)(this.editor.state, this.editor.view.dispatch),
      'Shift-Tab': () => goToNextCell(-1)(this.editor.state, this.editor.view.dispatch),
    };
  },
});

export const Figure = Node.create({
  name: 'figure',
  group: 'block',
  content: 'text*',
  marks: 'link',
  defining: true,
  parseHTML: () => [{ tag: 'figure[data-type="image"]', contentElement: 'figcaption' }],
  renderHTML: ({ HTMLAttributes }) => ['figure', mergeAttributes(HTMLAttributes, { 'data-type': 'image', class: 'article-figure' }), ['figcaption', 0]],
});

/** The text of an image's figure. */
export function imageFigureText(alt: string): string {
  const text = alt.trim();
  return text ? `Image: ${text}` : 'Image';
}

/** The reason a table of a checked document is not rectangular, or null if every table is. */
export function unevenTable(doc: PMNode): string | null {
  let problem: string | null = null;
  doc.descendants((node) => {
    if (problem || node.isTextblock) return false;
    if (node.type.name !== 'table') return true;
    const width = node.firstChild?.childCount ?? 0;
    node.forEach((row, _offset, i) => {
      if (!problem && row.childCount !== width) problem = `table row ${i + 1} has ${row.childCount} cells, the first row ${width}`;
    });
    return true;
  });
  return problem;
}

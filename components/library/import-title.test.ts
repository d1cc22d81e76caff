import { describe, expect, it } from 'vitest';
import { guessTitle, titleAfterPaste } from './import-title';

describe('guessTitle', () => {
  it('takes the first Markdown heading of any level', () => {
    expect(guessTitle('Intro\n\n## Field Report: Harbour **Activity** ##\n\n# Later', 'markdown')).toBe('Field Report: Harbour Activity');
    expect(guessTitle('Setext Title\n============\n\ntext', 'markdown')).toBe('Setext Title');
    expect(guessTitle('no heading here', 'markdown')).toBeNull();
  });
  it('takes the first HTML heading, tags stripped and entities decoded', () => {
    expect(guessTitle('<p>x</p><h2>Tom &amp; <em>Jerry</em></h2><h1>Later</h1>', 'html')).toBe('Tom & Jerry');
    expect(guessTitle('<title>Page</title><p>x</p>', 'html')).toBe('Page');
  });
});

describe('a paste fills the title', () => {
  it('when the field is empty', () => {
    expect(titleAfterPaste('', null, '# Report\n\ntext', 'markdown')).toEqual({ title: 'Report', suggested: 'Report' });
    expect(titleAfterPaste('  ', null, '<h1>Report</h1>', 'html')).toEqual({ title: 'Report', suggested: 'Report' });
  });
  it('when it still holds the previous suggestion', () => {
    expect(titleAfterPaste('Report', 'Report', '# Newer', 'markdown')).toEqual({ title: 'Newer', suggested: 'Newer' });
  });
  it('never over a title typed by hand, nor from plain text', () => {
    expect(titleAfterPaste('Mine', 'Report', '# Newer', 'markdown')).toEqual({ title: 'Mine', suggested: 'Report' });
    expect(titleAfterPaste('', null, 'First line', 'text')).toEqual({ title: '', suggested: null });
    expect(titleAfterPaste('', null, 'no heading', 'markdown')).toEqual({ title: '', suggested: null });
  });
});

import { describe, expect, it } from 'vitest';
import { notificationRecipients, reasonText, threadPath, wantsEmail } from './notifications';

describe('notificationRecipients', () => {
  it('gives each recipient the strongest reason and never the actor', () => {
    const r = notificationRecipients({ actorId: 'me', mentions: ['ann', 'me'], parentAuthorId: 'bob', participants: ['ann', 'bob', 'cy', 'me', 'cy'] });
    expect([...r]).toEqual([['ann', 'mention'], ['bob', 'reply'], ['cy', 'thread']]);
  });
  it('a reply to your own comment and your own thread notify nobody', () => {
    expect(notificationRecipients({ actorId: 'me', mentions: [], parentAuthorId: 'me', participants: ['me'] }).size).toBe(0);
  });
  it('a mention outranks a reply to the same person', () => {
    expect(notificationRecipients({ actorId: 'me', mentions: ['bob'], parentAuthorId: 'bob', participants: ['bob'] }).get('bob')).toBe('mention');
  });
});

describe('wantsEmail', () => {
  it('follows the preference', () => {
    expect(wantsEmail('none', 'mention')).toBe(false);
    expect(wantsEmail('mentions', 'mention')).toBe(true);
    expect(wantsEmail('mentions', 'reply')).toBe(false);
    expect(wantsEmail('all', 'thread')).toBe(true);
  });
});

describe('words and links', () => {
  it('says what happened and where', () => {
    expect(reasonText('reply')).toBe('replied to your comment');
    expect(threadPath('d1', 'a1')).toBe('/documents/d1#a-a1');
  });
});

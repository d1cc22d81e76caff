import { expect, it } from 'vitest';
import { RetryKeys } from './retry-keys';

it('reuses a key until the create is answered, and keeps creates apart', () => {
  let n = 0;
  const keys = new RetryKeys(() => `k${++n}`);
  expect(keys.keyFor('comment|a|hello')).toBe('k1');
  expect(keys.keyFor('comment|a|hello')).toBe('k1'); // a retry after a lost answer
  expect(keys.keyFor('comment|a|other text')).toBe('k2');
  keys.answered('comment|a|hello');
  expect(keys.keyFor('comment|a|hello')).toBe('k3'); // posting the same words again later is a new comment
});

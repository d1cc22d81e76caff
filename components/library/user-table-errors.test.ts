import { describe, expect, it } from 'vitest';
import { rowErrorsAfter } from './user-table-errors';

const LAST_ADMIN = 'An active admin must remain: promote someone else first';

describe('People table errors', () => {
  it('a refused change shows its reason on its row', () => {
    expect(rowErrorsAfter({}, { userId: 'me', ok: false, message: LAST_ADMIN })).toEqual({ me: LAST_ADMIN });
  });

  it('the "last admin" error goes once a later change succeeds, on any row (promoting someone else answers it)', () => {
    const refused = rowErrorsAfter({}, { userId: 'me', ok: false, message: LAST_ADMIN });
    expect(rowErrorsAfter(refused, { userId: 'ana', ok: true })).toEqual({});
    expect(rowErrorsAfter(refused, { userId: 'me', ok: true })).toEqual({});
  });

  it('a new refusal replaces the older message', () => {
    const one = rowErrorsAfter({}, { userId: 'me', ok: false, message: 'first' });
    expect(rowErrorsAfter(one, { userId: 'ana', ok: false, message: 'second' })).toEqual({ ana: 'second' });
  });
});

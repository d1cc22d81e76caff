/**
 * The People table's error messages, one per row. An error says why a change to that row was
 * refused; it goes as soon as a later change, on any row, succeeds.
 */
export type RowErrors = Readonly<Record<string, string>>;

export type RowOutcome = { userId: string; ok: true } | { userId: string; ok: false; message: string };

export function rowErrorsAfter(errors: RowErrors, outcome: RowOutcome): RowErrors {
  // A success answers every earlier refusal: the "last admin" one is void once someone else is
  // promoted, and any other was about a state that has since moved on. Only the newest refusal
  // is shown, so an old message never sits next to a new one.
  return outcome.ok ? {} : { [outcome.userId]: outcome.message };
}

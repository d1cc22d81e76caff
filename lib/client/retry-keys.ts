/**
 * One Idempotency-Key per logical create, kept until the create is answered. Trying the same
 * create again (the same draft posted again after a failure, the same passage tagged again) sends
 * the same key, so when the first answer was lost on the way back the server returns that first
 * result instead of making a second highlight or comment. A different request gets a new key.
 */
export class RetryKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly make: () => string = () => crypto.randomUUID()) {}

  /** The key for the create identified by `identity` (the same until `answered`). */
  keyFor(identity: string): string {
    let key = this.keys.get(identity);
    if (!key) {
      key = this.make();
      this.keys.set(identity, key);
    }
    return key;
  }

  /** The server answered (created it, or refused it for good): the next attempt is a new create. */
  answered(identity: string): void {
    this.keys.delete(identity);
  }
}

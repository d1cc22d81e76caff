/** The one normal form of an email address: what accounts are stored, looked up and throttled under. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

// The answer of the SMS and email code checks, one shape for both channels.

import type { CodeCheck } from '../../core/codes/one-time-codes.ts';

export interface CodeCheckAnswer {
  valid: boolean;
  /** When valid: the receipt the application's back end redeems. */
  receipt?: string;
  /** Back-end callers only, when not valid: a browser must not learn whether a code is live. */
  attempts_left?: number;
}

export function codeCheckAnswer({ valid, attemptsLeft, receipt }: CodeCheck & { receipt?: string }, trusted: boolean): CodeCheckAnswer {
  if (valid) return { valid, receipt };
  return trusted ? { valid, attempts_left: attemptsLeft } : { valid };
}

// The fields a page may attach to a verification for the back end that redeems its receipt,
// as Turnstile names them: `action` (what it was for) and `cdata` (free text).

export const actionSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } as const;
export const cdataSchema = { type: 'string', maxLength: 255 } as const;

/** What a route accepts besides its own fields, to bind into the receipt. */
export interface ReceiptFields {
  action?: string;
  cdata?: string;
}

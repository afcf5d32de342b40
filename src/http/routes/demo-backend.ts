// The demo page's stand-in for an application back end: it takes the receipt the page earned and
// redeems it in-process, as a real back end would at /v1/siteverify, so a newcomer sees the
// whole loop. Development only: in production a stranger could spend other people's receipts.

import { VerifyError } from '../../errors.ts';
import { emailSchema, phoneSchema, purposeSchema } from '../../core/schemas.ts';
import type { Purpose } from '../../core/types.ts';
import type { Verifier } from '../../core/verifier.ts';
import { json, route, type Route } from '../routing.ts';

interface SignupBody {
  receipt: string;
  purpose: Purpose;
  /** The contact the form says was verified; the receipt must be for it. */
  phone?: string;
  email?: string;
}

export function demoBackendRoutes({ verifier }: { verifier: Verifier }): Route[] {
  return [
    route<SignupBody>({
      method: 'POST',
      path: '/demo/signup',
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['receipt', 'purpose'],
          additionalProperties: false,
          properties: { receipt: { type: 'string', maxLength: 4096 }, purpose: purposeSchema, phone: phoneSchema, email: emailSchema },
        },
      },
      handle: async ({ body: { receipt, purpose, phone, email } }) => {
        const recipient = phone ?? email;
        if (recipient === undefined) throw new VerifyError('INVALID_REQUEST', { message: 'Give the phone or email the form verified.' });
        const outcome = await verifier.redeemReceipt(receipt, { action: purpose, recipient });
        return json(
          outcome.success
            ? { signed_up: true, redeemed: { channel: outcome.claims.channel, purpose: outcome.claims.action, hostname: outcome.claims.hostname, recipient_match: true } }
            : { signed_up: false, 'error-codes': [outcome.error] },
        );
      },
    }),
  ];
}

// The proof-of-work endpoints, in ALTCHA's protocol: GET /v1/pow/challenge hands the widget a
// challenge; POST /v1/pow/verify spends its payload once for a receipt. A send request carries
// the same payload in its `pow` field instead.

import { cdataSchema, phoneSchema, powActionSchema, powPayloadSchema } from '../../core/schemas.ts';
import type { Verifier } from '../../core/verifier.ts';
import { json, route, type Route } from '../routing.ts';

export function powRoutes({ verifier }: { verifier: Verifier }): Route[] {
  return [
    route<undefined, { action?: string; phone?: string; v?: '1' | '2' }>({
      method: 'GET',
      path: '/v1/pow/challenge',
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { action: powActionSchema, phone: phoneSchema, v: { type: 'string', enum: ['1', '2'] } } },
      },
      handle: async ({ query: { action, phone, v }, client }) => {
        const issued = await verifier.issuePowChallenge({ action: action ?? '', version: v === '1' ? 1 : 2, ...(phone ? { phone } : {}) }, client);
        // The widget reads the challenge's own fields and ignores the rest; the page may read these two.
        return json({ ...issued.challenge, level: issued.level, captcha_required: issued.captchaRequired });
      },
    }),
    route<{ payload: string; action?: string; cdata?: string }>({
      method: 'POST',
      path: '/v1/pow/verify',
      schema: {
        body: { type: 'object', required: ['payload'], additionalProperties: false, properties: { payload: powPayloadSchema, action: powActionSchema, cdata: cdataSchema } },
      },
      handle: async ({ body: { payload, action, cdata }, client }) =>
        json(await verifier.verifyPow(payload, action === undefined ? {} : { action }, client, cdata === undefined ? {} : { cdata })),
    }),
  ];
}

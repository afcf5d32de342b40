// The proof-of-work endpoints, in ALTCHA's protocol: GET /v1/pow/challenge hands the widget a
// challenge; POST /v1/pow/verify spends its payload once for a receipt. A send request carries
// the same payload in its `pow` field instead.

import type { FastifyInstance } from 'fastify';
import { MAX_PAYLOAD_LENGTH } from '../../core/pow/altcha-wire.ts';
import type { Verifier } from '../../core/verifier.ts';
import { cdataSchema } from './receipt-fields.ts';

/** The `pow` field of send requests: the widget's payload (base64 JSON). */
export const powPayloadSchema = { type: 'string', minLength: 1, maxLength: MAX_PAYLOAD_LENGTH } as const;
// An action may be empty in a challenge (then any verify without `action` accepts it).
const action = { type: 'string', pattern: '^[A-Za-z0-9_-]{0,32}$' } as const;

export function powRoutes(app: FastifyInstance, { verifier }: { verifier: Verifier }): void {
  app.get<{ Querystring: { action?: string; phone?: string; v?: '1' | '2' } }>(
    '/v1/pow/challenge',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { action, phone: { type: 'string', minLength: 1, maxLength: 32 }, v: { type: 'string', enum: ['1', '2'] } },
        },
      },
    },
    async (request, reply) => {
      const { action: wanted, phone, v } = request.query;
      const issued = await verifier.issuePowChallenge({ action: wanted ?? '', version: v === '1' ? 1 : 2, ...(phone ? { phone } : {}) }, request.client);
      // The widget reads the challenge's own fields and ignores the rest; the page may read these two.
      return reply.header('cache-control', 'no-store').send({ ...issued.challenge, level: issued.level, captcha_required: issued.captchaRequired });
    },
  );

  app.post<{ Body: { payload: string; action?: string; cdata?: string } }>(
    '/v1/pow/verify',
    {
      schema: {
        body: { type: 'object', required: ['payload'], additionalProperties: false, properties: { payload: powPayloadSchema, action, cdata: cdataSchema } },
      },
    },
    async (request, reply) => {
      const { payload, action: expected, cdata } = request.body;
      const result = await verifier.verifyPow(payload, expected === undefined ? {} : { action: expected }, request.client, cdata === undefined ? {} : { cdata });
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
}

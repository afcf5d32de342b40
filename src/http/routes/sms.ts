// The SMS endpoints: POST /v1/sms/send (gated by a captcha, a proof of work or both) and POST /v1/sms/check.

import type { FastifyInstance } from 'fastify';
import { pickLocale } from '../../pages/locale.ts';
import { PURPOSES, type Locale, type Purpose } from '../../core/types.ts';
import type { Verifier } from '../../core/verifier.ts';
import type { BackendAccess } from '../backend-auth.ts';
import { cdataSchema } from './receipt-fields.ts';
import { codeCheckAnswer } from './code-check-answer.ts';
import { captchaRef, captchaRefSchema, type CaptchaRefBody } from './captcha-ref.ts';
import { powPayloadSchema } from './pow.ts';

const phone = { type: 'string', minLength: 1, maxLength: 32 } as const;
const purpose = { type: 'string', enum: PURPOSES } as const;

interface SendBody {
  phone: string;
  purpose: Purpose;
  captcha?: CaptchaRefBody;
  pow?: string;
  locale?: Locale;
}

export function smsRoutes(app: FastifyInstance, { verifier, backend }: { verifier: Verifier; backend: BackendAccess }): void {
  const sms = verifier.sms;
  if (!sms) return;

  app.post<{ Body: SendBody }>(
    '/v1/sms/send',
    {
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'purpose'],
          additionalProperties: false,
          properties: {
            phone,
            purpose,
            locale: { type: 'string', enum: ['zh-CN', 'en'] },
            captcha: captchaRefSchema,
            pow: powPayloadSchema,
          },
        },
      },
    },
    async (request, reply) => {
      const { captcha, locale } = request.body;
      const result = await sms.send(
        { ...request.body, captcha: captcha && captchaRef(captcha), locale: locale ?? pickLocale(request.headers['accept-language']) },
        request.client,
      );
      return reply.code(202).header('cache-control', 'no-store').send({ expires_in: result.expiresIn, resend_after: result.resendAfter });
    },
  );

  app.post<{ Body: { phone: string; purpose: Purpose; code: string; cdata?: string } }>(
    '/v1/sms/check',
    {
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'purpose', 'code'],
          additionalProperties: false,
          properties: { phone, purpose, code: { type: 'string', maxLength: 16 }, cdata: cdataSchema },
        },
      },
    },
    async (request, reply) => {
      const trusted = backend.checkCaller(request);
      return reply.header('cache-control', 'no-store').send(codeCheckAnswer(await sms.check(request.body, request.client), trusted));
    },
  );
}

// The email endpoints: send and check the code, the confirm page (GET shows it, only POST
// consumes the token, because mail scanners follow links), and the back end's one-time read
// of a confirmation.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { renderConfirmPage, type ConfirmPageState } from '../../pages/confirm-page.ts';
import { pickLocale } from '../../pages/locale.ts';
import { isVerifyError } from '../../errors.ts';
import { PURPOSES, type Locale, type Purpose } from '../../core/types.ts';
import type { Verifier } from '../../core/verifier.ts';
import type { BackendAccess } from '../backend-auth.ts';
import { cdataSchema } from './receipt-fields.ts';
import { codeCheckAnswer } from './code-check-answer.ts';
import { captchaRef, captchaRefSchema, type CaptchaRefBody } from './captcha-ref.ts';
import { powPayloadSchema } from './pow.ts';

export interface EmailRouteOptions {
  verifier: Verifier;
  brand: string;
  /** Where a confirmed visitor is sent, with the link's receipt in `?receipt=`; empty shows a success page. */
  confirmRedirect: string;
  backend: BackendAccess;
}

const email = { type: 'string', minLength: 1, maxLength: 320 } as const;
const purpose = { type: 'string', enum: PURPOSES } as const;

// The page carries the token: keep it out of caches, referrers and frames.
function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(html);
}

export function emailRoutes(app: FastifyInstance, { verifier, brand, confirmRedirect, backend }: EmailRouteOptions): void {
  const flow = verifier.email;
  if (!flow) return;

  app.post<{ Body: { email: string; purpose: Purpose; captcha?: CaptchaRefBody; pow?: string; locale?: Locale } }>(
    '/v1/email/send',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'purpose'],
          additionalProperties: false,
          properties: {
            email,
            purpose,
            locale: { type: 'string', enum: ['zh-CN', 'en'] },
            captcha: captchaRefSchema,
            pow: powPayloadSchema,
          },
        },
      },
    },
    async (request, reply) => {
      const { captcha, locale, ...rest } = request.body;
      const result = await flow.send(
        { ...rest, ...(captcha ? { captcha: captchaRef(captcha) } : {}), locale: locale ?? pickLocale(request.headers['accept-language']) },
        request.client,
      );
      return reply.code(202).header('cache-control', 'no-store').send({ expires_in: result.expiresIn });
    },
  );

  app.post<{ Body: { email: string; purpose: Purpose; code: string; cdata?: string } }>(
    '/v1/email/check',
    {
      schema: {
        body: { type: 'object', required: ['email', 'purpose', 'code'], additionalProperties: false, properties: { email, purpose, code: { type: 'string', maxLength: 16 }, cdata: cdataSchema } },
      },
    },
    async (request, reply) => {
      const trusted = backend.checkCaller(request);
      return reply.header('cache-control', 'no-store').send(codeCheckAnswer(await flow.check(request.body, request.client), trusted));
    },
  );

  const page = (locale: Locale, state: ConfirmPageState, token?: string) =>
    renderConfirmPage({ state, locale, brand, ...(token ? { token } : {}), ...(state === 'done' && confirmRedirect ? { redirectUrl: confirmRedirect } : {}) });

  app.get<{ Querystring: { token?: string } }>(
    '/v1/email/confirm',
    { schema: { querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 128 } } } } },
    async (request, reply) => {
      const locale = pickLocale(request.headers['accept-language']);
      const token = request.query.token ?? '';
      return (await flow.peekToken(token)) ? sendPage(reply, 200, page(locale, 'confirm', token)) : sendPage(reply, 400, page(locale, 'invalid'));
    },
  );

  // The confirm page's form posts form-encoded, so this route alone (in a scope of its own)
  // accepts that besides JSON; a repeated field keeps its last value.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.post<{ Body: { token: string } }>(
      '/v1/email/confirm',
      { schema: { body: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 128 } } } } },
      async (request, reply) => {
        const fromForm = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        if (!fromForm) {
          const { email: address, purpose: confirmedPurpose, receipt } = await flow.confirm(request.body.token, request.client);
          return reply.header('cache-control', 'no-store').send({ confirmed: true, email: address, purpose: confirmedPurpose, receipt });
        }
        const locale = pickLocale(request.headers['accept-language']);
        let receipt: string;
        try {
          ({ receipt } = await flow.confirm(request.body.token, request.client));
        } catch (err) {
          if (isVerifyError(err) && err.code === 'TOKEN_INVALID') return sendPage(reply, 400, page(locale, 'invalid'));
          throw err;
        }
        // The receipt goes to the application with the visitor; its back end redeems it once.
        if (confirmRedirect) return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(withReceipt(confirmRedirect, receipt), 303);
        return sendPage(reply, 200, page(locale, 'done'));
      },
    );
  });

  app.post<{ Body: { email: string; purpose: Purpose } }>(
    '/v1/email/confirmed',
    { schema: { body: { type: 'object', required: ['email', 'purpose'], additionalProperties: false, properties: { email, purpose } } } },
    async (request, reply) => {
      backend.require(request);
      return reply.header('cache-control', 'no-store').send({ confirmed: await flow.takeConfirmation(request.body.email, request.body.purpose) });
    },
  );
}

/** `url` with `receipt` added to its query, keeping what it already has. */
function withReceipt(url: string, receipt: string): string {
  const target = new URL(url);
  target.searchParams.set('receipt', receipt);
  return target.href;
}

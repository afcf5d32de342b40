// The email endpoints: send and check the code, the confirm page (GET shows it, only POST
// consumes the token, because mail scanners follow links), and the back end's one-time read
// of a confirmation.

import { renderConfirmPage, type ConfirmPageState } from '../../pages/confirm-page.ts';
import { pickLocale } from '../../pages/locale.ts';
import { isVerifyError } from '../../errors.ts';
import { emailCheckSchema, emailConfirmedSchema, emailSendSchema, sendBodySchema, tokenSchema } from '../../core/schemas.ts';
import type { Locale, Purpose } from '../../core/types.ts';
import type { Verifier } from '../../core/verifier.ts';
import type { BackendAccess } from '../backend-auth.ts';
import { codeCheckAnswer } from './code-check-answer.ts';
import { captchaRef, type CaptchaRefBody } from './captcha-ref.ts';
import { json, NO_STORE, route, type HttpAnswer, type Route } from '../routing.ts';

export interface EmailRouteOptions {
  verifier: Verifier;
  brand: string;
  /** Where a confirmed visitor is sent, with the link's receipt in `?receipt=`; empty shows a success page. */
  confirmRedirect: string;
  backend: BackendAccess;
}

// The page carries the token: keep it out of caches, referrers and frames.
function page(status: number, html: string): HttpAnswer {
  return {
    status,
    headers: {
      ...NO_STORE,
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'content-type': 'text/html; charset=utf-8',
    },
    body: html,
  };
}

export function emailRoutes({ verifier, brand, confirmRedirect, backend }: EmailRouteOptions): Route[] {
  const flow = verifier.email;
  if (!flow) return [];
  const html = (locale: Locale, state: ConfirmPageState, token?: string) =>
    renderConfirmPage({ state, locale, brand, ...(token ? { token } : {}), ...(state === 'done' && confirmRedirect ? { redirectUrl: confirmRedirect } : {}) });

  return [
    route<{ email: string; purpose: Purpose; captcha?: CaptchaRefBody; pow?: string; locale?: Locale }>({
      method: 'POST',
      path: '/v1/email/send',
      schema: { body: sendBodySchema(emailSendSchema) },
      handle: async ({ body: { captcha, locale, ...rest }, headers, client }) => {
        const result = await flow.send({ ...rest, ...(captcha ? { captcha: captchaRef(captcha) } : {}), locale: locale ?? pickLocale(headers['accept-language']) }, client);
        return json({ expires_in: result.expiresIn }, 202);
      },
    }),
    route<{ email: string; purpose: Purpose; code: string; cdata?: string }>({
      method: 'POST',
      path: '/v1/email/check',
      schema: { body: emailCheckSchema },
      handle: async (request) => {
        const trusted = backend.checkCaller(request);
        return json(codeCheckAnswer(await flow.check(request.body, request.client), trusted));
      },
    }),
    route<undefined, { token?: string }>({
      method: 'GET',
      path: '/v1/email/confirm',
      schema: { querystring: { type: 'object', properties: { token: tokenSchema } } },
      handle: async ({ query, headers }) => {
        const locale = pickLocale(headers['accept-language']);
        const token = query.token ?? '';
        return (await flow.peekToken(token)) ? page(200, html(locale, 'confirm', token)) : page(400, html(locale, 'invalid'));
      },
    }),
    // The confirm page's form posts form-encoded, so this route alone accepts that besides JSON;
    // a repeated field keeps its last value.
    route<{ token: string }>({
      method: 'POST',
      path: '/v1/email/confirm',
      accepts: ['form'],
      schema: { body: { type: 'object', required: ['token'], properties: { token: tokenSchema } } },
      handle: async ({ body, bodyKind, headers, client }) => {
        if (bodyKind !== 'form') {
          const { email: address, purpose, receipt } = await flow.confirm(body.token, client);
          return json({ confirmed: true, email: address, purpose, receipt });
        }
        const locale = pickLocale(headers['accept-language']);
        let receipt: string;
        try {
          ({ receipt } = await flow.confirm(body.token, client));
        } catch (err) {
          if (isVerifyError(err) && err.code === 'TOKEN_INVALID') return page(400, html(locale, 'invalid'));
          throw err;
        }
        // The receipt goes to the application with the visitor; its back end redeems it once.
        if (confirmRedirect) return { status: 303, headers: { ...NO_STORE, 'referrer-policy': 'no-referrer', location: withReceipt(confirmRedirect, receipt) } };
        return page(200, html(locale, 'done'));
      },
    }),
    route<{ email: string; purpose: Purpose }>({
      method: 'POST',
      path: '/v1/email/confirmed',
      schema: { body: emailConfirmedSchema },
      handle: async (request) => {
        backend.require(request);
        return json({ confirmed: await flow.takeConfirmation(request.body.email, request.body.purpose) });
      },
    }),
  ];
}

/** `url` with `receipt` added to its query, keeping what it already has. */
function withReceipt(url: string, receipt: string): string {
  const target = new URL(url);
  target.searchParams.set('receipt', receipt);
  return target.href;
}

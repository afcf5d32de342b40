// The SMS endpoints: POST /v1/sms/send (gated by a captcha, a proof of work or both) and POST /v1/sms/check.

import { pickLocale } from '../../pages/locale.ts';
import { sendBodySchema, smsCheckSchema, smsSendSchema } from '../../core/schemas.ts';
import type { Locale, Purpose } from '../../core/types.ts';
import type { Verifier } from '../../core/verifier.ts';
import type { BackendAccess } from '../backend-auth.ts';
import { codeCheckAnswer } from './code-check-answer.ts';
import { captchaRef, type CaptchaRefBody } from './captcha-ref.ts';
import { json, route, type Route } from '../routing.ts';

interface SendBody {
  phone: string;
  purpose: Purpose;
  captcha?: CaptchaRefBody;
  pow?: string;
  locale?: Locale;
}

export function smsRoutes({ verifier, backend }: { verifier: Verifier; backend: BackendAccess }): Route[] {
  const sms = verifier.sms;
  if (!sms) return [];
  return [
    route<SendBody>({
      method: 'POST',
      path: '/v1/sms/send',
      schema: { body: sendBodySchema(smsSendSchema) },
      handle: async ({ body: { captcha, locale, ...rest }, headers, client }) => {
        const result = await sms.send({ ...rest, ...(captcha ? { captcha: captchaRef(captcha) } : {}), locale: locale ?? pickLocale(headers['accept-language']) }, client);
        return json({ expires_in: result.expiresIn, resend_after: result.resendAfter }, 202);
      },
    }),
    route<{ phone: string; purpose: Purpose; code: string; cdata?: string }>({
      method: 'POST',
      path: '/v1/sms/check',
      schema: { body: smsCheckSchema },
      handle: async (request) => {
        const trusted = backend.checkCaller(request);
        return json(codeCheckAnswer(await sms.check(request.body, request.client), trusted));
      },
    }),
  ];
}

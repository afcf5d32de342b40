// The native captcha API: POST /v1/captchas issues one with a server-made id and the image (or,
// for the audio kind, the WAV clip) as a data URL; POST /v1/captchas/:id/check checks it once.

import { captchaCheckSchema, captchaIssueBodySchema, type CaptchaCheckBody, type CaptchaIssueBody } from '../../core/schemas.ts';
import type { Verifier } from '../../core/verifier.ts';
import { pickLocale } from '../../pages/locale.ts';
import { json, route, type Route } from '../routing.ts';

export function captchaRoutes({ verifier }: { verifier: Verifier }): Route[] {
  return [
    route<CaptchaIssueBody | undefined>({
      method: 'POST',
      path: '/v1/captchas',
      schema: { body: captchaIssueBodySchema },
      handle: async ({ body, headers, client }) => {
        const request = { ...body, locale: body?.locale ?? pickLocale(headers['accept-language']) };
        const { id, image, mediaType, expiresIn } = await verifier.issueCaptcha(request, client);
        const dataUrl = `data:${mediaType};base64,${image.toString('base64')}`;
        return json({ id, ...(mediaType.startsWith('audio/') ? { audio: dataUrl } : { image: dataUrl }), expires_in: expiresIn }, 201);
      },
    }),
    route<CaptchaCheckBody, never, { id: string }>({
      method: 'POST',
      path: '/v1/captchas/:id/check',
      schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 256 } } }, body: captchaCheckSchema },
      handle: async ({ params, body: { answer, ...receipt }, client }) => json(await verifier.checkCaptcha(params.id, answer, client, receipt)),
    }),
  ];
}

// The native captcha API: POST /v1/captchas issues one with a server-made id and the image (or,
// for the audio kind, the WAV clip) as a data URL; POST /v1/captchas/:id/check checks it once.

import type { FastifyInstance } from 'fastify';
import { CAPTCHA_TYPES, type CaptchaType } from '../../captcha/challenge.ts';
import type { ImageFormat } from '../../captcha/render.ts';
import { pickLocale } from '../../email/locale.ts';
import type { Locale } from '../../senders/types.ts';
import type { Verifier } from '../../verifier.ts';
import { actionSchema, cdataSchema, type ReceiptFields } from './receipt-fields.ts';

export function captchaRoutes(app: FastifyInstance, { verifier }: { verifier: Verifier }): void {
  app.post<{ Body: { format?: ImageFormat; type?: CaptchaType; scale?: 1 | 2; locale?: Locale } | undefined }>(
    '/v1/captchas',
    {
      schema: {
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['jpeg', 'png', 'webp'] },
            type: { type: 'string', enum: [...CAPTCHA_TYPES] },
            // 2: the same captcha at twice the pixels, for 2× screens (shown at the 1× size).
            scale: { type: 'integer', enum: [1, 2] },
            // The audio kind's language; without it, the browser's Accept-Language picks.
            locale: { type: 'string', enum: ['zh-CN', 'en'] },
          },
        },
      },
    },
    async (request, reply) => {
      const { id, image, mediaType, expiresIn } = await verifier.issueCaptcha(
        {
          format: request.body?.format,
          type: request.body?.type,
          scale: request.body?.scale,
          locale: request.body?.locale ?? pickLocale(request.headers['accept-language']),
        },
        request.client,
      );
      const dataUrl = `data:${mediaType};base64,${image.toString('base64')}`;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ id, ...(mediaType.startsWith('audio/') ? { audio: dataUrl } : { image: dataUrl }), expires_in: expiresIn });
    },
  );

  app.post<{ Params: { id: string }; Body: { answer: string } & ReceiptFields }>(
    '/v1/captchas/:id/check',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 256 } } },
        body: { type: 'object', required: ['answer'], properties: { answer: { type: 'string', maxLength: 64 }, action: actionSchema, cdata: cdataSchema } },
      },
    },
    async (request, reply) => {
      const { answer, ...receipt } = request.body;
      const result = await verifier.checkCaptcha(request.params.id, answer, request.client, receipt);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
}

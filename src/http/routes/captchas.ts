// The native captcha API: POST /v1/captchas issues one with a server-made id and the image as a
// data URL; POST /v1/captchas/:id/check checks it once.

import type { FastifyInstance } from 'fastify';
import { CAPTCHA_TYPES, type CaptchaType } from '../../captcha/challenge.ts';
import type { ImageFormat } from '../../captcha/render.ts';
import type { Verifier } from '../../core/verifier.ts';
import { actionSchema, cdataSchema, type ReceiptFields } from './receipt-fields.ts';

export function captchaRoutes(app: FastifyInstance, { verifier }: { verifier: Verifier }): void {
  app.post<{ Body: { format?: ImageFormat; type?: CaptchaType; scale?: 1 | 2 } | undefined }>(
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
          },
        },
      },
    },
    async (request, reply) => {
      const { id, image, mediaType, expiresIn } = await verifier.issueCaptcha(
        { format: request.body?.format, type: request.body?.type, scale: request.body?.scale },
        request.client,
      );
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ id, image: `data:${mediaType};base64,${image.toString('base64')}`, expires_in: expiresIn });
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

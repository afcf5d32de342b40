// The seed's endpoints, kept compatible: GET /verify/image_codes/?uuid=… answers a JPEG and
// stores the answer under that uuid (`&type=audio`: a WAV clip, for an <audio src>);
// POST /verify/image_codes/check checks it once.

import type { FastifyInstance } from 'fastify';
import { VerifyError } from '../../errors.ts';
import { CAPTCHA_TYPES, type CaptchaType } from '../../captcha/challenge.ts';
import { isCanonicalUuid } from '../../captcha/uuid.ts';
import { AUDIO_MEDIA_TYPE } from '../../captcha/audio/render.ts';
import { pickLocale } from '../../email/locale.ts';
import type { Locale } from '../../senders/types.ts';
import type { Verifier } from '../../verifier.ts';
import { actionSchema, cdataSchema, type ReceiptFields } from './receipt-fields.ts';

interface ImageQuery {
  uuid?: string;
  /** The kind of captcha; without it, the service's default (text, as the seed). */
  type?: CaptchaType;
  /** 2: twice the pixels, for 2× screens (`srcset="…&scale=2 2x"`). */
  scale?: '1' | '2';
  /** The audio kind's language; without it, the browser's Accept-Language picks. */
  locale?: Locale;
}

function requireUuid(uuid: string | undefined): string {
  // The seed answers 403 for a missing uuid; keep that, but refuse what is not a UUID.
  if (uuid === undefined || uuid === '') throw new VerifyError('UUID_MISSING');
  if (!isCanonicalUuid(uuid)) throw new VerifyError('INVALID_UUID');
  return uuid;
}

export function imageCodeRoutes(app: FastifyInstance, { verifier }: { verifier: Verifier }): void {
  const querystring = { type: 'object', properties: { uuid: { type: 'string' }, type: { type: 'string', enum: [...CAPTCHA_TYPES] }, scale: { type: 'string', enum: ['1', '2'] }, locale: { type: 'string', enum: ['zh-CN', 'en'] } } } as const;

  app.get<{ Querystring: ImageQuery }>('/verify/image_codes/', { schema: { querystring }, exposeHeadRoute: false }, async (request, reply) => {
    const uuid = requireUuid(request.query.uuid);
    const { image, mediaType } = await verifier.issueCaptcha(
      { id: uuid, format: 'jpeg', type: request.query.type, scale: request.query.scale === '2' ? 2 : 1, locale: request.query.locale ?? pickLocale(request.headers['accept-language']) },
      request.client,
    );
    return reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').type(mediaType).send(image);
  });

  // HEAD validates like GET but issues nothing: probes and link checkers must not fill the store.
  app.head<{ Querystring: ImageQuery }>('/verify/image_codes/', { schema: { querystring } }, async (request, reply) => {
    requireUuid(request.query.uuid);
    return reply.header('cache-control', 'no-store').type(request.query.type === 'audio' ? AUDIO_MEDIA_TYPE : 'image/jpeg').send();
  });

  app.post<{ Body: { uuid: string; code: string } & ReceiptFields }>(
    '/verify/image_codes/check',
    {
      schema: {
        body: {
          type: 'object',
          required: ['uuid', 'code'],
          properties: { uuid: { type: 'string' }, code: { type: 'string', maxLength: 64 }, action: actionSchema, cdata: cdataSchema },
        },
      },
    },
    async (request, reply) => {
      const uuid = requireUuid(request.body.uuid);
      const { code, action, cdata } = request.body;
      const result = await verifier.checkCaptcha(uuid, code, request.client, { action, cdata });
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
}

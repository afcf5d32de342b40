// The seed's endpoints, kept compatible: GET /verify/image_codes/?uuid=… answers a JPEG and
// stores the answer under that uuid (`&type=audio`: a WAV clip, for an <audio src>);
// POST /verify/image_codes/check checks it once.

import { VerifyError } from '../../errors.ts';
import { CAPTCHA_TYPES, type CaptchaType } from '../../captcha/challenge.ts';
import { isCanonicalUuid } from '../../captcha/uuid.ts';
import { AUDIO_MEDIA_TYPE } from '../../captcha/audio/render.ts';
import { pickLocale } from '../../pages/locale.ts';
import type { Locale } from '../../core/types.ts';
import { actionSchema, answerSchema, cdataSchema, localeSchema } from '../../core/schemas.ts';
import type { Verifier } from '../../core/verifier.ts';
import { NO_STORE, json, route, type Route } from '../routing.ts';

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

export function imageCodeRoutes({ verifier }: { verifier: Verifier }): Route[] {
  const querystring = { type: 'object', properties: { uuid: { type: 'string' }, type: { type: 'string', enum: [...CAPTCHA_TYPES] }, scale: { type: 'string', enum: ['1', '2'] }, locale: localeSchema } } as const;
  return [
    route<undefined, ImageQuery>({
      method: 'GET',
      path: '/verify/image_codes/',
      schema: { querystring },
      head: false,
      handle: async ({ query, headers, client }) => {
        const uuid = requireUuid(query.uuid);
        const locale = query.locale ?? pickLocale(headers['accept-language']);
        const { image, mediaType } = await verifier.issueCaptcha({ id: uuid, format: 'jpeg', ...(query.type ? { type: query.type } : {}), scale: query.scale === '2' ? 2 : 1, locale }, client);
        return { headers: { ...NO_STORE, 'x-content-type-options': 'nosniff', 'content-type': mediaType }, body: image };
      },
    }),
    // HEAD validates like GET but issues nothing: probes and link checkers must not fill the store.
    route<undefined, ImageQuery>({
      method: 'HEAD',
      path: '/verify/image_codes/',
      schema: { querystring },
      handle: async ({ query }) => {
        requireUuid(query.uuid);
        return { headers: { ...NO_STORE, 'content-type': query.type === 'audio' ? AUDIO_MEDIA_TYPE : 'image/jpeg' } };
      },
    }),
    route<{ uuid: string; code: string; action?: string; cdata?: string }>({
      method: 'POST',
      path: '/verify/image_codes/check',
      schema: {
        body: { type: 'object', required: ['uuid', 'code'], properties: { uuid: { type: 'string' }, code: answerSchema, action: actionSchema, cdata: cdataSchema } },
      },
      handle: async ({ body, client }) => {
        const uuid = requireUuid(body.uuid);
        const { code, action, cdata } = body;
        return json(await verifier.checkCaptcha(uuid, code, client, { ...(action === undefined ? {} : { action }), ...(cdata === undefined ? {} : { cdata }) }));
      },
    }),
  ];
}

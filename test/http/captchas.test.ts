// The native captcha API through HTTP.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { SEED_UUID, testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

const issue = (payload?: object) =>
  svc.app.inject({ method: 'POST', url: '/v1/captchas', ...(payload === undefined ? {} : { payload }) });
const check = (id: string, answer: unknown) => svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } });

function decodeDataUrl(url: string): { mediaType: string; bytes: Buffer } {
  const match = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
  assert.ok(match, 'a base64 data URL');
  return { mediaType: match[1]!, bytes: Buffer.from(match[2]!, 'base64') };
}

describe('POST /v1/captchas', () => {
  it('issues a JPEG captcha with a server-made UUID and its lifetime', async () => {
    const res = await issue();
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(body.expires_in, 300);
    const { mediaType, bytes } = decodeDataUrl(body.image);
    assert.equal(mediaType, 'image/jpeg');
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 160, 60]);
  });

  for (const format of ['png', 'webp'] as const) {
    it(`issues a ${format} captcha on request`, async () => {
      const res = await issue({ format });
      assert.equal(res.statusCode, 201);
      const { mediaType, bytes } = decodeDataUrl(res.json().image);
      assert.equal(mediaType, `image/${format}`);
      assert.equal((await sharp(bytes).metadata()).format, format);
    });
  }

  it('accepts an empty JSON body', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas', headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(res.statusCode, 201);
  });

  it('rejects an unknown format or unknown fields', async () => {
    for (const payload of [{ format: 'gif' }, { format: 1 }, { size: 3 }]) {
      const res = await issue(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, 'INVALID_REQUEST');
    }
  });

  it('each issue makes a new id', async () => {
    const ids = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await issue()).json().id)));
    assert.equal(ids.size, 20);
  });
});

describe('POST /v1/captchas/:id/check', () => {
  it('a captcha answer works once, even when correct', async () => {
    const { id } = (await issue()).json();
    const answer = svc.answers.get(id)!;
    assert.equal((await check(id, answer)).json().valid, true);
    assert.deepEqual((await check(id, answer)).json(), { valid: false });
  });

  it('a wrong answer consumes it', async () => {
    const { id } = (await issue()).json();
    assert.deepEqual((await check(id, 'WXYZ')).json(), { valid: false });
    assert.deepEqual((await check(id, svc.answers.get(id))).json(), { valid: false });
  });

  it('is case-insensitive and ignores surrounding spaces', async () => {
    const { id } = (await issue()).json();
    assert.equal((await check(id, ` ${svc.answers.get(id)!.toLowerCase()} `)).json().valid, true);
  });

  it('the seed check endpoint accepts native ids too', async () => {
    const { id } = (await issue()).json();
    const res = await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid: id, code: svc.answers.get(id) } });
    assert.equal(res.json().valid, true);
  });

  it('an unknown id is not valid; a malformed one is a 400', async () => {
    assert.deepEqual((await check('0b8a3c58-9f59-4c8e-a8f8-6d43c1f1e0a9', 'ABCD')).json(), { valid: false });
    const res = await check('not-a-uuid', 'ABCD');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'INVALID_UUID');
  });

  it('requires an answer string', async () => {
    const { id } = (await issue()).json();
    for (const payload of [{}, { answer: null }, { answer: ['A'] }]) {
      const res = await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'INVALID_REQUEST');
    }
  });
});

describe('captchas for 2× screens', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService();
  });
  after(() => svc.close());

  const size = async (image: Buffer) => {
    const { width, height } = await sharp(image).metadata();
    return [width, height];
  };

  it('scale 2 draws the captcha at twice the pixels; the default stays 1×', async () => {
    const twice = await svc.app.inject({ method: 'POST', url: '/v1/captchas', payload: { scale: 2 } });
    assert.equal(twice.statusCode, 201);
    assert.deepEqual(await size(Buffer.from(twice.json<{ image: string }>().image.split(',')[1]!, 'base64')), [320, 120]);
    const once = await svc.app.inject({ method: 'POST', url: '/v1/captchas', payload: {} });
    assert.deepEqual(await size(Buffer.from(once.json<{ image: string }>().image.split(',')[1]!, 'base64')), [160, 60]);
  });

  it('the Django endpoint takes ?scale=2 for srcset', async () => {
    const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${SEED_UUID}&scale=2` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(await size(res.rawPayload), [320, 120]);
  });

  it('other scales are refused', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas', payload: { scale: 3 } });
    assert.equal(res.statusCode, 400);
  });
});

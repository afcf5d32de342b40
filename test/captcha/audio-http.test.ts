// The audio captcha through HTTP: issued on the native API and the seed's endpoint in the
// language asked for, answered once at the same check endpoints as every captcha.

import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { renderAudioCaptcha } from '../../src/captcha/audio/render.ts';
import type { AudioLanguage } from '../../src/captcha/audio/voices.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService({ VERIFYD_SECRET: SECRET });
});
after(async () => {
  await svc.close();
});

const issue = (payload?: object, headers: Record<string, string> = {}) => svc.app.inject({ method: 'POST', url: '/v1/captchas', headers, ...(payload === undefined ? {} : { payload }) });
const checkNative = (id: string, answer: string) => svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } });

/** The clip the service must have made: drawn from its secret, the id and the digits. */
const expectedClip = (id: string, digits: string, language: AudioLanguage) =>
  renderAudioCaptcha(digits, { language, seed: createHmac('sha256', SECRET).update(`audio\0${id}\0${digits}`).digest() });

describe('POST /v1/captchas {"type":"audio"}', () => {
  it('answers a WAV clip of six digits as a data URL, checked once like any captcha', async () => {
    const res = await issue({ type: 'audio' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.image, undefined);
    assert.match(body.audio, /^data:audio\/wav;base64,UklGR/); // "RIFF"
    const answer = svc.answers.get(body.id)!;
    assert.match(answer, /^\d{6}$/);
    assert.equal((await checkNative(body.id, answer)).json().valid, true);
    assert.equal((await checkNative(body.id, answer)).json().valid, false, 'single use');
  });

  it('speaks the locale asked for, else the one Accept-Language prefers, else English', async () => {
    for (const [payload, headers, language] of [
      [{ type: 'audio', locale: 'zh-CN' }, { 'accept-language': 'en' }, 'zh-CN'],
      [{ type: 'audio' }, { 'accept-language': 'zh-TW, en;q=0.5' }, 'zh-CN'],
      [{ type: 'audio' }, { 'accept-language': 'fr' }, 'en'],
      [{ type: 'audio', locale: 'en' }, { 'accept-language': 'zh-CN' }, 'en'],
    ] as const) {
      const { id, audio } = (await issue(payload, headers)).json();
      const clip = Buffer.from(audio.split(',')[1], 'base64');
      assert.deepEqual(clip, expectedClip(id, svc.answers.get(id)!, language), `${JSON.stringify(payload)} ${JSON.stringify(headers)}`);
    }
  });

  it('refuses an unknown locale with 400', async () => {
    const res = await issue({ type: 'audio', locale: 'fr' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'INVALID_REQUEST');
  });

  it('takes a wrong answer as a result, and the captcha is gone after it', async () => {
    const { id } = (await issue({ type: 'audio' })).json();
    const answer = svc.answers.get(id)!;
    const wrong = String((Number(answer[0]) + 1) % 10) + answer.slice(1);
    assert.equal((await checkNative(id, wrong)).json().valid, false);
    assert.equal((await checkNative(id, answer)).json().valid, false);
  });
});

describe('GET /verify/image_codes/?type=audio', () => {
  it('answers audio/wav for an <audio src>, checked on the seed endpoint', async () => {
    const uuid = randomUUID();
    const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}&type=audio&locale=zh-CN` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'audio/wav');
    const answer = svc.answers.get(uuid)!;
    assert.deepEqual(res.rawPayload, expectedClip(uuid, answer, 'zh-CN'));
    assert.equal((await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code: answer } })).json().valid, true);
  });

  it('HEAD names the audio type and issues nothing', async () => {
    const uuid = randomUUID();
    const res = await svc.app.inject({ method: 'HEAD', url: `/verify/image_codes/?uuid=${uuid}&type=audio` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'audio/wav');
    assert.equal(svc.answers.has(uuid), false);
  });
});

describe('an operator who leaves audio out', () => {
  it('gets 400 CAPTCHA_TYPE_NOT_ENABLED for it', async () => {
    const textOnly = await testService({ VERIFYD_CAPTCHA_TYPES: 'text' });
    try {
      const res = await textOnly.app.inject({ method: 'POST', url: '/v1/captchas', payload: { type: 'audio' } });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'CAPTCHA_TYPE_NOT_ENABLED');
    } finally {
      await textOnly.close();
    }
  });
});

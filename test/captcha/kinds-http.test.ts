// Captcha kinds through HTTP: `type` on the native API and on the seed's endpoint, with every
// kind enabled (test/security/math-captcha-not-enabled-by-default.test.ts covers the default).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ALPHABET } from '../../src/captcha/alphabet.ts';
import { CJK_CHARACTERS } from '../../src/captcha/cjk-characters.ts';
import { testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService({ VERIFYD_CAPTCHA_TYPES: 'text,math,chinese' });
});
after(async () => {
  await svc.close();
});

const issue = (payload?: object) => svc.app.inject({ method: 'POST', url: '/v1/captchas', ...(payload === undefined ? {} : { payload }) });
const checkNative = (id: string, answer: string) => svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } });
const checkSeed = (uuid: string, code: string) => svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code } });

describe('POST /v1/captchas with a type', () => {
  it('issues a math captcha whose answer is a number, and checks it', async () => {
    const res = await issue({ type: 'math' });
    assert.equal(res.statusCode, 201);
    const { id, image } = res.json();
    assert.match(image, /^data:image\/jpeg;base64,/);
    const answer = svc.answers.get(id)!;
    assert.match(answer, /^\d{3,4}$/);
    assert.equal((await checkNative(id, ` ${answer} `)).json().valid, true);
  });

  it('issues a Chinese captcha whose answer is its characters', async () => {
    const { id } = (await issue({ type: 'chinese', format: 'png' })).json();
    const answer = svc.answers.get(id)!;
    assert.equal(Array.from(answer).length, 4);
    for (const char of answer) assert.ok(CJK_CHARACTERS.includes(char), char);
    assert.equal((await checkNative(id, answer)).json().valid, true);
  });

  it('issues a text captcha when no type is given, as before', async () => {
    const { id } = (await issue()).json();
    assert.match(svc.answers.get(id)!, new RegExp(`^[${DEFAULT_ALPHABET}]{4}$`));
  });

  it('rejects an unknown type', async () => {
    const res = await issue({ type: 'video' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'INVALID_REQUEST');
  });
});

describe('GET /verify/image_codes/ with a type', () => {
  it('answers a math captcha for ?type=math, checked on the seed endpoint', async () => {
    const uuid = randomUUID();
    const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}&type=math` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    const answer = svc.answers.get(uuid)!;
    assert.match(answer, /^\d{3,4}$/);
    assert.equal((await checkSeed(uuid, answer)).json().valid, true);
  });

  it('answers a Chinese captcha for ?type=chinese', async () => {
    const uuid = randomUUID();
    assert.equal((await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}&type=chinese` })).statusCode, 200);
    for (const char of svc.answers.get(uuid)!) assert.ok(CJK_CHARACTERS.includes(char), char);
  });

  it('keeps the text captcha as the default, as the seed', async () => {
    const uuid = randomUUID();
    await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}` });
    assert.match(svc.answers.get(uuid)!, new RegExp(`^[${DEFAULT_ALPHABET}]{4}$`));
  });

  it('rejects an unknown type with 400', async () => {
    const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${randomUUID()}&type=svg` });
    assert.equal(res.statusCode, 400);
  });
});

// Attack: audio captcha flooding from one address. The audio kind is the accessible alternative,
// so it is on by default; a clip costs some twenty-five times an image's CPU (8 ms against 0.3)
// and is the kind a speech recogniser has the best chance at, so a bot would ask for clip after
// clip from one address, to burn the server's CPU and to try its recogniser on as many as it can.
// The audio kind has its own per-address limit, well under the image limit, on top of it.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OPTIONS } from '../../src/config.ts';
import { testService } from '../helpers/service.ts';
import { freshIp } from './attack-clients.ts';

const AUDIO_LIMIT = OPTIONS.captchaAudioRateLimit.default;

it('the default audio limit is a real limit, stricter than the image one', () => {
  assert.ok(AUDIO_LIMIT > 0 && AUDIO_LIMIT * 5 <= OPTIONS.captchaRateLimit.default, `${AUDIO_LIMIT} vs ${OPTIONS.captchaRateLimit.default}`);
});

it('one address gets its default share of audio clips a minute, then 429 on every door, while images and other addresses go on', async () => {
  // The service as `verifyd serve` starts it: default kinds and default limits.
  const svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: String(OPTIONS.captchaRateLimit.default), VERIFYD_CAPTCHA_AUDIO_RATE_LIMIT: String(AUDIO_LIMIT) });
  try {
    const attacker = freshIp();
    const audio = (ip: string) => svc.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress: ip, payload: { type: 'audio' } });
    const statuses: number[] = [];
    for (let i = 0; i < AUDIO_LIMIT + 5; i++) statuses.push((await audio(attacker)).statusCode);
    assert.deepEqual(statuses, [...Array(AUDIO_LIMIT).fill(201), ...Array(5).fill(429)]);

    const refused = await audio(attacker);
    assert.equal(refused.json().error.code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    const seed = await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${crypto.randomUUID()}&type=audio`, remoteAddress: attacker });
    assert.equal(seed.statusCode, 429, 'the seed endpoint shares the limit');

    // Images still come for the attacker's address; audio still comes for everyone else.
    assert.equal((await svc.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress: attacker })).statusCode, 201);
    assert.equal((await audio(freshIp())).statusCode, 201);
  } finally {
    await svc.close();
  }
});

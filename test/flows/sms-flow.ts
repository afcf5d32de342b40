// The SMS flow through HTTP, run against every store (memory and Redis).

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BACKEND, type TestService } from '../helpers/service.ts';

let ipCounter = 0;
/** A fresh client address per test, so per-IP limits of one test never touch another. */
const freshIp = () => `198.18.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;
/** A random, valid Chinese mobile number (bare, as a form would send it) and its E.164 form. */
export function randomMobile(): { bare: string; e164: string } {
  const bare = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  return { bare, e164: `+86${bare}` };
}

export function smsFlowSuite(label: string, open: () => Promise<TestService>): void {
  describe(`SMS flow on ${label}`, () => {
    let svc: TestService;
    before(async () => {
      svc = await open();
    });
    after(async () => {
      await svc.close();
    });

    const send = async (phone: string, { ip = freshIp(), purpose = 'register', captcha }: { ip?: string; purpose?: string; captcha?: object } = {}) =>
      svc.app.inject({
        method: 'POST',
        url: '/v1/sms/send',
        remoteAddress: ip,
        payload: { phone, purpose, captcha: captcha ?? (await svc.solvedCaptcha()) },
      });
    // The application back end's check: it may learn the attempts left.
    const check = (phone: string, code: string, { ip = freshIp(), purpose = 'register' } = {}) =>
      svc.app.inject({ method: 'POST', url: '/v1/sms/check', remoteAddress: ip, headers: BACKEND, payload: { phone, purpose, code } });

    it('a solved captcha buys a code, which checks once', async () => {
      const { bare, e164 } = randomMobile();
      const res = await send(bare);
      assert.equal(res.statusCode, 202);
      assert.deepEqual(res.json(), { expires_in: 300, resend_after: 60 });
      const code = await svc.lastSmsCode(e164);
      assert.match(code ?? '', /^\d{6}$/);
      const passed = (await check(bare, code!)).json();
      assert.equal(passed.valid, true);
      assert.match(passed.receipt, /^vr1\./);
      assert.deepEqual((await check(`+86 ${bare}`, code!)).json(), { valid: false, attempts_left: 0 }, 'replay');
    });

    it('refuses a wrong captcha, and consumes the captcha even then', async () => {
      const { bare } = randomMobile();
      const captcha = await svc.solvedCaptcha();
      const wrong = await send(bare, { captcha: { id: captcha.id, answer: 'ZZZZ' } });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().error.code, 'CAPTCHA_INVALID');
      assert.equal((await send(bare, { captcha })).json().error.code, 'CAPTCHA_INVALID', 'the right answer no longer works');
    });

    it('a captcha refused by a limit is consumed too', async () => {
      const { bare } = randomMobile();
      assert.equal((await send(bare)).statusCode, 202);
      const captcha = await svc.solvedCaptcha();
      assert.equal((await send(bare, { captcha })).json().error.code, 'SEND_TOO_SOON');
      const other = randomMobile();
      assert.equal((await send(other.bare, { captcha })).json().error.code, 'CAPTCHA_INVALID');
    });

    it('accepts the captcha as a seed uuid too', async () => {
      const { bare } = randomMobile();
      const { id, answer } = await svc.solvedCaptcha();
      assert.equal((await send(bare, { captcha: { uuid: id, answer } })).statusCode, 202);
    });

    it('validates and normalises numbers', async () => {
      for (const bad of ['12345', 'not a number', '+8610655299880', '01065529988']) {
        const res = await send(bad);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().error.code, 'INVALID_PHONE', bad);
      }
      const abroad = await send('+14155552671');
      assert.equal(abroad.statusCode, 400);
      assert.equal(abroad.json().error.code, 'PHONE_COUNTRY_NOT_ALLOWED');
    });

    it('a code only checks for its own purpose', async () => {
      const { bare, e164 } = randomMobile();
      await send(bare, { purpose: 'login' });
      const code = (await svc.lastSmsCode(e164))!;
      assert.equal((await check(bare, code, { purpose: 'register' })).json().valid, false);
      assert.equal((await check(bare, code, { purpose: 'login' })).json().valid, true);
    });

    it('five wrong checks burn the code', async () => {
      const { bare, e164 } = randomMobile();
      await send(bare);
      const code = (await svc.lastSmsCode(e164))!;
      const wrong = code === '000000' ? '000001' : '000000';
      const left = [];
      for (let i = 0; i < 5; i++) left.push((await check(bare, wrong)).json().attempts_left);
      assert.deepEqual(left, [4, 3, 2, 1, 0]);
      assert.deepEqual((await check(bare, code)).json(), { valid: false, attempts_left: 0 });
    });

    it('a resend makes a new code and kills the old one, without resetting the wrong-check count', async () => {
      const { bare, e164 } = randomMobile();
      const ip = freshIp();
      await send(bare, { ip });
      const first = (await svc.lastSmsCode(e164))!;
      const wrong = first === '000000' ? '000001' : '000000';
      for (let i = 0; i < 3; i++) await check(bare, wrong);
      // Skip the 60 s resend interval by hand instead of waiting for it.
      await svc.store.delete(`verifyd:sms:{${e164}}:resend`);
      assert.equal((await send(bare, { ip })).statusCode, 202);
      const second = (await svc.lastSmsCode(e164))!;
      const stillWrong = ['000000', '000001', '000002'].find((c) => c !== second && c !== first)!;
      assert.equal((await check(bare, stillWrong)).json().attempts_left, 1, 'the count goes on from 3');
      if (first !== second) assert.equal((await check(bare, first)).json().valid, false, 'the old code is dead');
      assert.equal((await check(bare, second)).json().valid, first === second ? true : false, 'burned at five');
    });

    it('concurrent correct checks never both pass', async () => {
      const { bare, e164 } = randomMobile();
      await send(bare);
      const code = (await svc.lastSmsCode(e164))!;
      const results = await Promise.all(Array.from({ length: 10 }, () => check(bare, code)));
      assert.equal(results.filter((r) => r.json().valid === true).length, 1);
    });

    it('one send per number per 60 s, with Retry-After', async () => {
      const { bare } = randomMobile();
      assert.equal((await send(bare)).statusCode, 202);
      const again = await send(bare);
      assert.equal(again.statusCode, 429);
      assert.equal(again.json().error.code, 'SEND_TOO_SOON');
      const retryAfter = Number(again.headers['retry-after']);
      assert.ok(retryAfter > 55 && retryAfter <= 60, String(retryAfter));
    });

    it('concurrent sends to one number: exactly one goes out', async () => {
      const { bare, e164 } = randomMobile();
      const captchas = await Promise.all(Array.from({ length: 8 }, () => svc.solvedCaptcha()));
      const results = await Promise.all(captchas.map((captcha) => send(bare, { captcha })));
      assert.equal(results.filter((r) => r.statusCode === 202).length, 1, results.map((r) => r.body).join());
      assert.ok(results.every((r) => r.statusCode === 202 || r.json().error.code === 'SEND_TOO_SOON'), results.map((r) => r.body).join());
      await svc.verifier.drain();
      assert.equal(svc.smsLines.filter((l) => l.includes(e164.slice(-4)) && l.includes(e164.slice(0, 6))).length, 1);
    });

    it('five sends per number per hour', async () => {
      const { bare, e164 } = randomMobile();
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        await svc.store.delete(`verifyd:sms:{${e164}}:resend`);
        const res = await send(bare);
        statuses.push(res.statusCode === 202 ? 202 : res.json().error.code);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 'SEND_LIMIT_RECIPIENT']);
    });

    it('five sends per client IP per minute', async () => {
      const ip = freshIp();
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const res = await send(randomMobile().bare, { ip });
        statuses.push(res.statusCode === 202 ? 202 : res.json().error.code);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 'SEND_LIMIT_IP']);
    });

    it('thirty sends per number range per hour', async () => {
      const range = `139${String(randomInt(0, 1e4)).padStart(4, '0')}`;
      let last;
      for (let i = 0; i < 31; i++) last = await send(`${range}${String(i).padStart(4, '0')}`);
      assert.equal(last!.statusCode, 429);
      assert.equal(last!.json().error.code, 'SEND_LIMIT_PREFIX');
    });

    it('code checks are limited per client IP', async () => {
      const ip = freshIp();
      const { bare } = randomMobile();
      let last;
      for (let i = 0; i < 31; i++) last = await check(bare, '123456', { ip });
      assert.equal(last!.statusCode, 429);
      assert.equal(last!.json().error.code, 'RATE_LIMITED');
    });

    it('ten failures in an hour lock checks for that number', async () => {
      const { bare, e164 } = randomMobile();
      const codes = [];
      for (let round = 0; round < 2; round++) {
        await svc.store.delete(`verifyd:sms:{${e164}}:resend`);
        await svc.store.delete(`verifyd:sms:{${e164}}:attempts:register`);
        await send(bare);
        codes.push((await svc.lastSmsCode(e164))!);
        for (let i = 0; i < 5; i++) await check(bare, codes.at(-1) === '000000' ? '000001' : '000000');
      }
      const locked = await check(bare, codes.at(-1)!);
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().error.code, 'CHECK_LOCKED');
      assert.ok(Number(locked.headers['retry-after']) > 500);
    });

    it('rejects malformed requests with stable codes', async () => {
      const cases: [object, string][] = [
        [{ phone: '13800138000', purpose: 'register' }, 'CAPTCHA_INVALID'],
        [{ phone: '13800138000', purpose: 'spam', captcha: { id: 'x', answer: 'y' } }, 'INVALID_REQUEST'],
        [{ phone: '13800138000', purpose: 'register', captcha: { answer: 'y' } }, 'INVALID_REQUEST'],
        [{ phone: '13800138000', purpose: 'register', captcha: { id: 'nope', answer: 'y' } }, 'INVALID_UUID'],
      ];
      for (const [payload, code] of cases) {
        const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload, remoteAddress: freshIp() });
        assert.equal(res.json().error.code, code, JSON.stringify(payload));
        assert.ok(res.statusCode >= 400 && res.statusCode < 500);
      }
    });

    it('the log sender prints the code but masks the number', async () => {
      const { bare, e164 } = randomMobile();
      await send(bare);
      const code = (await svc.lastSmsCode(e164))!;
      assert.ok(svc.smsLines.some((l) => l.includes(code)));
      assert.ok(!svc.smsLines.some((l) => l.includes(e164)), 'numbers are masked');
    });
  });
}

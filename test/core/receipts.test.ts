// Receipt conformance, the same cases on memory and on Redis, through the service's HTTP door:
// a receipt earned by a passed check is redeemed once at /v1/siteverify by the back end.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { receipts } from '../../src/core/receipts.ts';
import { memoryStore } from '../../src/stores/memory.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { BACKEND, BACKEND_KEY, SECRET, testService, type TestService } from '../helpers/service.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

const OLD_KEY = 'old:old-receipt-secret-0123456789abcdef0123';
const NEW_KEY = 'new:new-receipt-secret-0123456789abcdef0123';

const stores: [string, (env?: Record<string, string>) => Promise<TestService>][] = [
  ['memory', (env = {}) => testService({ VERIFYD_SECRET: SECRET, ...env })],
  ['Redis', (env = {}) => testService({ VERIFYD_REDIS_URL: redis.url(8), VERIFYD_SECRET: SECRET, ...env })],
];

for (const [label, open] of stores) {
  describe(`receipts on ${label}`, () => {
    let svc: TestService;
    before(async () => {
      svc = await open({ VERIFYD_RECEIPT_KEYS: `${NEW_KEY},${OLD_KEY}` });
    });
    after(async () => {
      await svc.close();
    });

    /** A receipt for a captcha solved for `action`, as the page gets it. */
    const captchaReceipt = async (action = 'signup') => {
      const { id, answer } = await svc.solvedCaptcha();
      const res = await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, headers: { origin: 'https://shop.example' }, payload: { answer, action, cdata: 'order-7' } });
      assert.equal(res.json().valid, true);
      return res.json().receipt as string;
    };
    /** A receipt for a correct SMS code, bound to the number. */
    const smsReceipt = async () => {
      const bare = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
      await svc.app.inject({ method: 'POST', url: '/v1/sms/send', remoteAddress: `10.9.${randomInt(256)}.${randomInt(256)}`, payload: { phone: bare, purpose: 'login', captcha: await svc.solvedCaptcha() } });
      const code = await svc.lastSmsCode(`+86${bare}`);
      const res = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: bare, purpose: 'login', code } });
      return { bare, receipt: res.json().receipt as string };
    };
    const siteverify = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      svc.app.inject({ method: 'POST', url: '/v1/siteverify', headers, payload: { secret: BACKEND_KEY, ...fields } });
    const siteverifyForm = (fields: Record<string, string>) =>
      svc.app.inject({ method: 'POST', url: '/v1/siteverify', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ secret: BACKEND_KEY, ...fields }).toString() });

    it('a fresh receipt verifies once, in Turnstile\'s words, with the site, action and cdata', async () => {
      const receipt = await captchaReceipt();
      const first = await siteverifyForm({ response: receipt, remoteip: '203.0.113.9' });
      assert.equal(first.statusCode, 200);
      const body = first.json();
      assert.equal(body.success, true);
      assert.deepEqual(body['error-codes'], []);
      assert.deepEqual([body.hostname, body.action, body.cdata, body.channel], ['shop.example', 'signup', 'order-7', 'captcha']);
      assert.ok(Math.abs(Date.parse(body.challenge_ts) - Date.now()) < 10_000);
      assert.deepEqual((await siteverify({ response: receipt })).json(), { success: false, 'error-codes': ['timeout-or-duplicate'] });
    });

    it('a multipart (FormData) request verifies too, as Turnstile clients send it', async () => {
      const receipt = await captchaReceipt();
      const form = new FormData();
      form.set('secret', BACKEND_KEY);
      form.set('response', receipt);
      const request = new Request('http://x/', { method: 'POST', body: form });
      const res = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', headers: { 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
      assert.equal(res.json().success, true);
    });

    it('100 concurrent redemptions of one receipt: exactly one succeeds', async () => {
      const receipt = await captchaReceipt();
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => siteverify({ response: receipt, idempotency_key: `k${i}` })));
      assert.equal(answers.filter((a) => a.json().success === true).length, 1);
      assert.ok(answers.every((a) => a.statusCode === 200));
    });

    it('a retry with the same idempotency key succeeds again; another key is a duplicate', async () => {
      const receipt = await captchaReceipt();
      assert.equal((await siteverify({ response: receipt, idempotency_key: 'req-1' })).json().success, true);
      assert.equal((await siteverify({ response: receipt, idempotency_key: 'req-1' })).json().success, true);
      assert.deepEqual((await siteverify({ response: receipt, idempotency_key: 'req-2' })).json()['error-codes'], ['timeout-or-duplicate']);
    });

    it('an expired receipt is refused', async () => {
      const past = receipts({ store: memoryStore(), keys: [{ id: 'new', secret: Buffer.from(NEW_KEY.slice(4)) }], secret: Buffer.from(SECRET), now: () => Date.now() - 301_000 });
      const stale = past.issue({ channel: 'captcha', action: 'signup', hostname: 'shop.example', cdata: '' });
      assert.deepEqual((await siteverify({ response: stale })).json(), { success: false, 'error-codes': ['timeout-or-duplicate'] });
    });

    it('a wrong action or recipient is refused without spending the receipt, which the right caller then redeems', async () => {
      const { bare, receipt } = await smsReceipt();
      assert.deepEqual((await siteverify({ response: receipt, action: 'register' })).json()['error-codes'], ['action-mismatch']);
      assert.deepEqual((await siteverify({ response: receipt, phone: '13900000000' })).json()['error-codes'], ['recipient-mismatch']);
      assert.deepEqual((await siteverify({ response: receipt, email: 'someone@example.com' })).json()['error-codes'], ['recipient-mismatch']);
      const right = (await siteverify({ response: receipt, action: 'login', phone: `+86 ${bare}` })).json();
      assert.equal(right.success, true);
      assert.deepEqual([right.channel, right.purpose, right.recipient_match], ['sms', 'login', true]);
    });

    it('a tampered receipt is refused, and so is junk', async () => {
      const receipt = await captchaReceipt();
      const [v, kid, payload, sig] = receipt.split('.') as [string, string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, act: 'admin' })).toString('base64url');
      for (const bad of [`${v}.${kid}.${forged}.${sig}`, `${v}.${kid}.${payload}.${sig.slice(0, -2)}AA`, 'vr1.x.y.z', 'garbage', randomBytes(600).toString('base64url')]) {
        assert.deepEqual((await siteverify({ response: bad })).json(), { success: false, 'error-codes': ['invalid-input-response'] }, bad.slice(0, 40));
      }
      assert.equal((await siteverify({ response: receipt })).json().success, true, 'the real one still works');
      assert.deepEqual((await siteverify({})).json(), { success: false, 'error-codes': ['missing-input-response'] });
    });

    it('a still-listed old key id verifies; a key rotated out of the list does not', async () => {
      const signWith = (key: string) =>
        receipts({ store: memoryStore(), keys: [{ id: key.split(':')[0]!, secret: Buffer.from(key.slice(key.indexOf(':') + 1)) }], secret: Buffer.from(SECRET) }).issue({
          channel: 'captcha',
          action: 'signup',
          hostname: '',
          cdata: '',
        });
      assert.equal((await siteverify({ response: signWith(OLD_KEY) })).json().success, true);
      const gone = signWith('gone:gone-receipt-secret-0123456789abcdef');
      assert.deepEqual((await siteverify({ response: gone })).json()['error-codes'], ['invalid-input-response']);
    });

    it('a missing or wrong back-end key is 401, and Bearer works like the secret field', async () => {
      const receipt = await captchaReceipt();
      const missing = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', payload: { response: receipt } });
      assert.equal(missing.statusCode, 401);
      assert.deepEqual([missing.json()['error-codes'], missing.json().error.code], [['missing-input-secret'], 'API_KEY_MISSING']);
      const wrong = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', payload: { secret: 'x'.repeat(40), response: receipt } });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual([wrong.json()['error-codes'], wrong.json().error.code], [['invalid-input-secret'], 'API_KEY_INVALID']);
      const bearer = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', headers: BACKEND, payload: { response: receipt } });
      assert.equal(bearer.json().success, true, 'refusals did not spend it');
      for (const url of ['/v1/email/confirmed']) {
        assert.equal((await svc.app.inject({ method: 'POST', url, payload: { email: 'a@example.com', purpose: 'login' } })).json().error.code, 'API_KEY_MISSING');
        assert.equal((await svc.app.inject({ method: 'POST', url, headers: { authorization: 'Bearer nope' }, payload: { email: 'a@example.com', purpose: 'login' } })).json().error.code, 'API_KEY_INVALID');
      }
    });
  });
}

describe('a store outage', () => {
  it('fails a redemption closed with 503, never success', async () => {
    const local = await startRedis();
    const svc = await testService({ VERIFYD_REDIS_URL: local.url(1), VERIFYD_SECRET: SECRET });
    try {
      const { id, answer } = await svc.solvedCaptcha();
      const receipt = (await svc.app.inject({ method: 'POST', url: `/v1/captchas/${id}/check`, payload: { answer } })).json().receipt;
      await local.stop();
      const res = await svc.app.inject({ method: 'POST', url: '/v1/siteverify', payload: { secret: BACKEND_KEY, response: receipt } });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().success, false);
      assert.equal(res.json().error.code, 'STORE_UNAVAILABLE');
    } finally {
      await svc.close();
      await local.close();
    }
  });
});

describe('server-to-server mode (--public-checks false)', () => {
  it('the code checks need the back-end key, which also learns the attempts left', async () => {
    const svc = await testService({ VERIFYD_PUBLIC_CHECKS: 'false' });
    try {
      const payload = { phone: '13912345678', purpose: 'login', code: '123456' };
      const browser = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload });
      assert.equal(browser.statusCode, 401);
      assert.equal(browser.json().error.code, 'API_KEY_MISSING');
      const backend = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', headers: BACKEND, payload });
      assert.deepEqual(backend.json(), { valid: false, attempts_left: 0 });
    } finally {
      await svc.close();
    }
  });
});

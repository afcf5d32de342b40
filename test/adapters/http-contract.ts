// The HTTP contract every adapter keeps: the same requests, through Fastify, Express, Hono and
// the fetch handler, mounted under the same path prefix, get the same answers. Each adapter's
// test file mounts verifyd its way and runs this suite.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { HttpOptions } from '../../src/http/api.ts';
import { apiKeys } from '../../src/core/api-keys.ts';
import { runTimeCompilations } from '../../src/core/schemas.ts';
import { BACKEND, BACKEND_KEY, SEED_UUID, testService, type TestService } from '../helpers/service.ts';

/** Where every adapter mounts verifyd in these tests. */
export const PREFIX = '/auth/verify';

export interface Mounted {
  /** Sends a request to a path under the application's root (the prefix included). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Runs the contract against an adapter: `mount` serves `options` under PREFIX. */
export function httpContract(adapter: string, mount: (options: HttpOptions) => Promise<Mounted>): void {
  describe(`HTTP contract: ${adapter}`, () => {
    let svc: TestService;
    let app: Mounted;
    before(async () => {
      svc = await testService();
      app = await mount({ verifier: svc.verifier, apiKeys: apiKeys([{ name: 'test', key: BACKEND_KEY }]), demoBackend: true, bodyLimit: 16_384 });
    });
    after(async () => {
      await app?.close();
      await svc?.close();
    });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      app.fetch(PREFIX + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
    const freshPhone = () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;

    it('answers liveness with no-store', async () => {
      const response = await app.fetch(`${PREFIX}/healthz`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await response.json(), { status: 'ok' });
    });

    it('issues a captcha and checks it exactly once', async () => {
      const issued = await app.fetch(`${PREFIX}/v1/captchas`, { method: 'POST' });
      assert.equal(issued.status, 201);
      const { id, image, expires_in } = (await issued.json()) as { id: string; image: string; expires_in: number };
      assert.match(image, /^data:image\/jpeg;base64,/);
      assert.equal(expires_in, 300);
      const first = (await (await post(`/v1/captchas/${id}/check`, { answer: svc.answers.get(id), action: 'signup' })).json()) as { valid: boolean; receipt?: string };
      assert.equal(first.valid, true);
      assert.match(first.receipt ?? '', /^vr1\./);
      assert.deepEqual(await (await post(`/v1/captchas/${id}/check`, { answer: svc.answers.get(id) })).json(), { valid: false });
    });

    it('runs the SMS flow to a receipt the back end redeems once', async () => {
      const phone = freshPhone();
      const captcha = await svc.solvedCaptcha();
      const sent = await post('/v1/sms/send', { phone, purpose: 'login', captcha });
      assert.equal(sent.status, 202);
      const again = await post('/v1/sms/send', { phone, purpose: 'login', captcha: await svc.solvedCaptcha() });
      assert.equal(again.status, 429);
      assert.equal(await errorCode(again), 'SEND_TOO_SOON');
      assert.ok(Number(again.headers.get('retry-after')) > 0);
      const code = await svc.lastSmsCode(`+86${phone}`);
      const wrong = (await (await post('/v1/sms/check', { phone, purpose: 'login', code: code === '000000' ? '111111' : '000000' }, BACKEND)).json()) as { attempts_left?: number };
      assert.equal(typeof wrong.attempts_left, 'number', 'the back end learns the attempts left');
      const checked = (await (await post('/v1/sms/check', { phone, purpose: 'login', code })).json()) as { valid: boolean; receipt: string };
      assert.equal(checked.valid, true);
      const verdict = (await (await post('/v1/siteverify', { secret: BACKEND_KEY, response: checked.receipt, phone })).json()) as { success: boolean; channel: string };
      assert.deepEqual([verdict.success, verdict.channel], [true, 'sms']);
      const replay = (await (await post('/v1/siteverify', { secret: BACKEND_KEY, response: checked.receipt })).json()) as { success: boolean };
      assert.equal(replay.success, false);
    });

    it('takes siteverify form-encoded and multipart, and answers a bad key in Turnstile shape', async () => {
      const form = await app.fetch(`${PREFIX}/v1/siteverify`, { method: 'POST', body: new URLSearchParams({ secret: BACKEND_KEY, response: 'vr1.nope' }) });
      assert.equal(form.status, 200);
      assert.equal(((await form.json()) as { success: boolean }).success, false);
      const data = new FormData();
      data.set('secret', BACKEND_KEY);
      data.set('response', 'vr1.nope');
      const multipart = await app.fetch(`${PREFIX}/v1/siteverify`, { method: 'POST', body: data });
      assert.equal(multipart.status, 200);
      const badKey = await post('/v1/siteverify', { secret: 'wrong', response: 'x' });
      assert.equal(badKey.status, 401);
      assert.deepEqual(((await badKey.json()) as { 'error-codes': string[] })['error-codes'], ['invalid-input-secret']);
      const invalid = await post('/v1/siteverify', { secret: 42 });
      assert.equal(invalid.status, 400);
      assert.deepEqual(((await invalid.json()) as { 'error-codes': string[] })['error-codes'], ['bad-request']);
    });

    it("serves the seed's image endpoint: JPEG, HEAD without issuing, 403 without uuid", async () => {
      const image = await app.fetch(`${PREFIX}/verify/image_codes/?uuid=${SEED_UUID}`);
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/jpeg');
      assert.ok((await image.arrayBuffer()).byteLength > 1000);
      const head = await app.fetch(`${PREFIX}/verify/image_codes/?uuid=${SEED_UUID}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal((await head.arrayBuffer()).byteLength, 0);
      const missing = await app.fetch(`${PREFIX}/verify/image_codes/`);
      assert.equal(missing.status, 403);
      assert.equal(await errorCode(missing), 'UUID_MISSING');
    });

    it('refuses bad input with the one error shape and never a 500', async () => {
      const cases: [string, Promise<Response>, number, string][] = [
        ['malformed JSON', post('/v1/sms/send', '{"phone":'), 400, 'INVALID_JSON'],
        ['a __proto__ key', post('/v1/sms/send', '{"__proto__":{"x":1},"phone":"1","purpose":"login"}'), 400, 'INVALID_JSON'],
        ['a number for a string', post('/v1/sms/send', { phone: 13900000000, purpose: 'login' }), 400, 'INVALID_REQUEST'],
        ['an unknown field', post('/v1/sms/check', { phone: '13900000000', purpose: 'login', code: '1', extra: true }), 400, 'INVALID_REQUEST'],
        ['a cross-site form post', app.fetch(`${PREFIX}/v1/sms/send`, { method: 'POST', body: new URLSearchParams({ phone: '13900000000', purpose: 'login' }) }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['text/plain', app.fetch(`${PREFIX}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['an empty cross-site form post', app.fetch(`${PREFIX}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['a text/plain post over the body limit', app.fetch(`${PREFIX}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(20_000) }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['an empty text/plain post', app.fetch(`${PREFIX}/v1/captchas`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['a body over the limit', post('/v1/sms/send', { phone: 'x'.repeat(20_000), purpose: 'login' }), 413, 'BODY_TOO_LARGE'],
        ['an unknown route', app.fetch(`${PREFIX}/v1/nothing`), 404, 'NOT_FOUND'],
        ['a route with two trailing slashes', app.fetch(`${PREFIX}/healthz//`), 404, 'NOT_FOUND'],
        ['a malformed percent-encoding', app.fetch(`${PREFIX}/v1/captchas/%E0%A4%A/check`, { method: 'POST' }), 400, 'INVALID_REQUEST'],
        ['a percent-encoded id, long only encoded', post(`/v1/captchas/${'%61'.repeat(40)}/check`, { answer: 'x' }), 400, 'INVALID_UUID'],
        ['an id over 100 characters', post(`/v1/captchas/${'a'.repeat(101)}/check`, { answer: 'x' }), 400, 'INVALID_REQUEST'],
        ['a repeated query field', app.fetch(`${PREFIX}/v1/pow/challenge?action=a&action=b`), 400, 'INVALID_REQUEST'],
        ['a back-end route without its key', post('/v1/email/confirmed', { email: 'a@example.com', purpose: 'login' }), 401, 'API_KEY_MISSING'],
      ];
      for (const [name, pending, status, code] of cases) {
        const response = await pending;
        assert.equal(response.status, status, name);
        assert.equal(response.headers.get('cache-control'), 'no-store', name);
        assert.equal(await errorCode(response), code, name);
      }
    });

    it('shows the email confirm page and takes its form post', async () => {
      const page = await app.fetch(`${PREFIX}/v1/email/confirm?token=nope`);
      assert.equal(page.status, 400);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      const posted = await app.fetch(`${PREFIX}/v1/email/confirm`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
      assert.equal(posted.status, 400);
      assert.match(await posted.text(), /<html/i);
    });

    it('serves the demo page under the prefix, with relative links, ETags and the helper for other sites', async () => {
      const bare = await app.fetch(PREFIX, { redirect: 'manual' });
      assert.equal(bare.status, 308);
      assert.equal(new URL(bare.headers.get('location')!, 'http://x').pathname, `${PREFIX}/`);
      const page = await app.fetch(`${PREFIX}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      const html = await page.text();
      assert.doesNotMatch(html, /(src|href)="\/[^/]/, 'every link is relative, so it resolves under the prefix');
      const script = await app.fetch(`${PREFIX}/verifyd.js`);
      assert.equal(script.headers.get('access-control-allow-origin'), '*');
      const cached = await app.fetch(`${PREFIX}/verifyd.js`, { headers: { 'if-none-match': script.headers.get('etag')! } });
      assert.equal(cached.status, 304);
    });

    it('proves work for a receipt through the ALTCHA endpoints', async () => {
      const challenge = await app.fetch(`${PREFIX}/v1/pow/challenge?action=signup`);
      assert.equal(challenge.status, 200);
      const body = (await challenge.json()) as { level: number; captcha_required: boolean };
      assert.equal(typeof body.level, 'number');
      const garbage = await post('/v1/pow/verify', { payload: 'bm9wZQ==' });
      assert.equal(garbage.status, 400);
      assert.match(await errorCode(garbage), /^POW_/);
    });

    it('validated every request above with validators compiled at build time', () => {
      assert.equal(runTimeCompilations(), 0, 'a route schema is missing from src/core/validators.compiled.ts: npm run build');
    });
  });
}

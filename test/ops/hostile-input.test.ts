// Property tests with fast-check: random and hostile requests to every route never get a 5xx,
// never crash the service, and never change another user's captcha or code; concurrent replays
// of a correct answer win once; X-Forwarded-For is ignored without a trusted proxy.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { ERRORS } from '../../src/errors.ts';
import { testService, type TestService } from '../helpers/service.ts';
import { randomMobile } from '../flows/sms-flow.ts';

const BODY_LIMIT = 16_384;
const VICTIM_PHONE = '+8613912345678';
const VICTIM_EMAIL = 'victim@example.org';
const VICTIM_IP = '203.0.113.7';

type Method = NonNullable<InjectOptions['method']>;
interface HostileRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

// Lone surrogates cannot be percent-encoded as UTF-8; send them as an invalid byte sequence.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const urlEncode = (s: string) => encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD')).replace(/%EF%BF%BD/g, '%ED%A0%80');

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.uuid().map((u) => ` ${u.toUpperCase()} `),
  fc.constantFrom(
    '', ' ', '\u0000', '../../etc/passwd', '%00', '%', '${jndi:ldap://x}', '<script>alert(1)</script>', "' OR 1=1 --", '__proto__', 'constructor',
    '{victim}', '*', '\r\nX-Injected: 1', 'ＡＢＣＤ', '١٢٣٤٥٦', '+86 138 0013 8000', '13800138000', '+1-202-555-0101', 'a@b.c', 'a@xn--80ak6aa92e.com',
    '0'.repeat(64), 'register', 'zh-CN', 'NaN', '-1', '1e309',
  ),
  fc.nat({ max: 40_000 }).map((n) => 'x'.repeat(n)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
/** An object with some of `fields`, each hostile, plus maybe a stray one. */
const hostileFields = (...fields: string[]) =>
  fc.record(Object.fromEntries([...fields, 'extra', '__proto__'].map((f) => [f, hostileValue])), { requiredKeys: [] });

const captchaRef = fc.oneof(hostileFields('id', 'answer'), hostileFields('uuid', 'answer'), hostileValue);

interface RouteSpec {
  method: Method;
  url: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
}

const segment = hostileString.map(urlEncode);
const ROUTES: RouteSpec[] = [
  { method: 'GET', url: segment.map((u) => `/verify/image_codes/?uuid=${u}`) },
  { method: 'HEAD', url: segment.map((u) => `/verify/image_codes?uuid=${u}&uuid=${u}`) },
  { method: 'POST', url: fc.constant('/verify/image_codes/check'), body: hostileFields('uuid', 'code') },
  { method: 'POST', url: fc.constant('/v1/captchas'), body: hostileFields('format') },
  { method: 'POST', url: segment.map((id) => `/v1/captchas/${id}/check`), body: hostileFields('answer') },
  { method: 'POST', url: fc.constant('/v1/sms/send'), body: fc.record({ phone: hostileValue, purpose: hostileValue, captcha: captchaRef, pow: hostileValue, locale: hostileValue }, { requiredKeys: [] }) },
  { method: 'POST', url: fc.constant('/v1/sms/check'), body: hostileFields('phone', 'purpose', 'code') },
  { method: 'POST', url: fc.constant('/v1/email/send'), body: fc.record({ email: hostileValue, purpose: hostileValue, captcha: captchaRef, pow: hostileValue, locale: hostileValue }, { requiredKeys: [] }) },
  { method: 'GET', url: fc.tuple(segment, segment).map(([a, p]) => `/v1/pow/challenge?action=${a}&phone=${p}`) },
  { method: 'POST', url: fc.constant('/v1/pow/verify'), body: hostileFields('payload', 'action', 'cdata') },
  { method: 'POST', url: fc.constant('/v1/email/check'), body: hostileFields('email', 'purpose', 'code') },
  { method: 'GET', url: segment.map((t) => `/v1/email/confirm?token=${t}`) },
  { method: 'POST', url: fc.constant('/v1/email/confirm'), body: hostileFields('token') },
  { method: 'POST', url: fc.constant('/v1/email/confirmed'), body: hostileFields('email', 'purpose') },
  { method: 'POST', url: fc.constant('/v1/siteverify'), body: hostileFields('secret', 'response', 'idempotency_key', 'action', 'phone', 'email') },
  { method: 'GET', url: fc.constantFrom('/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/', '/app.js', '/verifyd.js') },
  { method: 'GET', url: fc.oneof(segment.map((s) => `/${s}`), fc.constantFrom('/%', '/%zz', '/%E0%A4%A', '//..//', '/v1/captchas/%2e%2e%2f', '/verify/image_codes/?uuid=%ff%fe')) },
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json, text/plain',
];

/** How the body goes on the wire: as JSON, a form, raw junk, invalid JSON or too large. */
const encodedBody = (body: unknown) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(JSON.stringify(body) ?? '') },
    fc.constant(new URLSearchParams(Object.entries((body as Record<string, unknown>) ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString()),
    fc.string(),
    fc.constantFrom('{', '{"a":', '[1,2', 'null', '"str"', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '\uFEFF{}', '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]'),
    fc.nat({ max: 4 }).map((n) => '['.repeat(4000 + n) + ']'.repeat(4000 + n)),
    fc.constant(`{"answer":"${'a'.repeat(BODY_LIMIT)}"}`),
  );

const request: fc.Arbitrary<HostileRequest> = fc
  .constantFrom(...ROUTES)
  .chain((route) =>
    fc.record({
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, fc.constantFrom<Method>('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')),
      url: route.url,
      payload: route.body ? route.body.chain(encodedBody) : fc.constant(undefined),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 8 }),
      forwardedFor: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, '')), fc.constant(VICTIM_IP))),
      acceptLanguage: fc.option(hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
      ifNoneMatch: fc.option(fc.constantFrom('*', 'W/"x"', '"', ',,,')),
    }),
  )
  .map(({ method, url, payload, contentType, forwardedFor, acceptLanguage, ifNoneMatch }): HostileRequest => {
    const headers: Record<string, string> = {};
    if (contentType !== null && payload !== undefined) headers['content-type'] = contentType;
    if (forwardedFor !== null) headers['x-forwarded-for'] = forwardedFor;
    if (acceptLanguage !== null) headers['accept-language'] = acceptLanguage;
    if (ifNoneMatch !== null) headers['if-none-match'] = ifNoneMatch;
    const withBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
    return { method, url, headers, ...(withBody ? { payload } : {}) };
  });

const touchesVictim = (req: HostileRequest) => {
  const text = `${req.url} ${String(req.payload ?? '')}`.toLowerCase();
  return text.includes('13912345678') || text.includes(VICTIM_EMAIL) || [...victimCaptchaIds].some((id) => text.includes(id));
};
const victimCaptchaIds = new Set<string>();

describe('hostile requests', () => {
  let svc: TestService;
  const victim = { captcha: { id: '', answer: '' }, seed: { id: '', answer: '' }, smsCode: '', emailCode: '' };
  let keys: string[] = [];
  let snapshot: (string | null)[] = [];

  before(async () => {
    svc = await testService({ VERIFYD_BODY_LIMIT: String(BODY_LIMIT), VERIFYD_SMS_CHECK_RATE_LIMIT: '0', VERIFYD_EMAIL_CHECK_RATE_LIMIT: '0' });
    victim.captcha = await svc.solvedCaptcha();
    const seed = await svc.app.inject({ method: 'GET', url: '/verify/image_codes/?uuid=0b9a1d3e-5f62-4c0a-9d8e-7f6a5b4c3d2e', remoteAddress: VICTIM_IP });
    assert.equal(seed.statusCode, 200);
    victim.seed = { id: '0b9a1d3e-5f62-4c0a-9d8e-7f6a5b4c3d2e', answer: svc.answers.get('0b9a1d3e-5f62-4c0a-9d8e-7f6a5b4c3d2e')! };
    for (const { id } of [victim.captcha, victim.seed]) victimCaptchaIds.add(id);

    const sms = await svc.app.inject({ method: 'POST', url: '/v1/sms/send', remoteAddress: VICTIM_IP, payload: { phone: VICTIM_PHONE, purpose: 'register', captcha: await svc.solvedCaptcha() } });
    assert.equal(sms.statusCode, 202);
    victim.smsCode = (await svc.lastSmsCode(VICTIM_PHONE))!;
    const mail = await svc.app.inject({ method: 'POST', url: '/v1/email/send', remoteAddress: VICTIM_IP, payload: { email: VICTIM_EMAIL, purpose: 'login', captcha: await svc.solvedCaptcha() } });
    assert.equal(mail.statusCode, 202);
    await svc.verifier.drain();
    victim.emailCode = /code=(\d+)/.exec(svc.emailLines.findLast((l) => l.includes(VICTIM_EMAIL))!)![1]!;

    keys = [
      `verifyd:captcha:${victim.captcha.id}`,
      `verifyd:captcha:${victim.seed.id}`,
      ...['code:register', 'attempts:register', 'failures', 'lock'].map((k) => `verifyd:sms:{${VICTIM_PHONE}}:${k}`),
      ...['code:login', 'attempts:login', 'failures', 'lock'].map((k) => `verifyd:email:{${VICTIM_EMAIL}}:${k}`),
    ];
    snapshot = await Promise.all(keys.map((k) => svc.store.get(k)));
    assert.ok(snapshot[0] && snapshot[1] && snapshot[2] && snapshot[6], 'the victim has live entries');
  });
  after(async () => {
    await svc.close();
  });

  it('the generators cover every route in the OpenAPI document', async () => {
    const doc = (await svc.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> };
    const sample = fc.sample(request, 3000).map((r) => new URL(r.url, 'http://x').pathname.replace(/\/$/, ''));
    for (const path of Object.keys(doc.paths)) {
      const pattern = new RegExp(`^${path.replace(/\/$/, '').replace('{id}', '[^/]+')}$`);
      assert.ok(sample.some((p) => pattern.test(p)), path);
    }
  });

  it('never answer 5xx, always answer errors in the one JSON shape, and never crash the service', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        fc.pre(!touchesVictim(req));
        const res = await svc.app.inject(req);
        assert.ok(res.statusCode < 500, `${res.statusCode} for ${req.method} ${req.url.slice(0, 200)}: ${res.body.slice(0, 300)}`);
        const isJson = String(res.headers['content-type'] ?? '').startsWith('application/json');
        if (res.statusCode >= 400 && isJson && req.method !== 'HEAD') {
          // Every assertion carries a string message: without one, node:assert re-reads the
          // (transpiled, one-line) source to describe the failure, which takes minutes.
          const { error } = res.json() as { error?: { code?: keyof typeof ERRORS; message?: unknown } };
          const shape = `${res.statusCode} ${res.body.slice(0, 200)}`;
          assert.ok(typeof error === 'object' && typeof error.message === 'string' && error.code !== undefined && error.code in ERRORS, `not the error shape: ${shape}`);
          assert.equal(ERRORS[error.code!].status, res.statusCode, shape);
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype stays clean');
      }),
      // Bounded even when a failure has to be shrunk: huge strings make shrinking slow.
      { numRuns: 600, includeErrorInReport: true, timeout: 10_000, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true },
    );
    assert.equal((await svc.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('a malformed or overlong URL gets the one JSON error shape, not the framework\'s', async () => {
    for (const url of ['/%', '/v1/captchas/%zz/check', `/v1/captchas/${'x'.repeat(200)}/check`]) {
      const res = await svc.app.inject({ method: 'POST', url, payload: { answer: 'x' } });
      assert.equal(res.statusCode, 400, url);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'INVALID_REQUEST', url);
      assert.doesNotMatch(res.body, /xxxx|%zz/, 'the URL is not echoed');
    }
  });

  it("left every other user's captchas and codes exactly as they were, and they still work once", async () => {
    assert.deepEqual(await Promise.all(keys.map((k) => svc.store.get(k))), snapshot);
    const check = (url: string, payload: object) => svc.app.inject({ method: 'POST', url, payload, remoteAddress: VICTIM_IP });
    assert.equal((await check(`/v1/captchas/${victim.captcha.id}/check`, { answer: victim.captcha.answer })).json().valid, true);
    assert.equal((await check('/verify/image_codes/check', { uuid: victim.seed.id, code: victim.seed.answer })).json().valid, true);
    assert.equal((await check('/v1/sms/check', { phone: VICTIM_PHONE, purpose: 'register', code: victim.smsCode })).json().valid, true);
    assert.equal((await check('/v1/email/check', { email: VICTIM_EMAIL, purpose: 'login', code: victim.emailCode })).json().valid, true);
  });
});

describe('concurrent replays', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService({ VERIFYD_SMS_CHECK_RATE_LIMIT: '0', VERIFYD_SMS_PER_HOUR: '0', VERIFYD_SMS_PER_DAY: '0', VERIFYD_SMS_PREFIX_PER_HOUR: '0' });
  });
  after(async () => {
    await svc.close();
  });

  it('of a correct captcha answer, in any mix of equivalent forms, are valid exactly once', async () => {
    const form = fc.constantFrom('native', 'seed', 'upper-id', 'spaced-lower-answer');
    await fc.assert(
      fc.asyncProperty(fc.array(form, { minLength: 2, maxLength: 16 }), async (forms) => {
        const { id, answer } = await svc.solvedCaptcha();
        const results = await Promise.all(
          forms.map((f) => {
            if (f === 'seed') return svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid: id, code: answer } });
            const target = f === 'upper-id' ? id.toUpperCase() : id;
            const given = f === 'spaced-lower-answer' ? ` ${answer.toLowerCase()} ` : answer;
            return svc.app.inject({ method: 'POST', url: `/v1/captchas/${target}/check`, payload: { answer: given } });
          }),
        );
        assert.ok(results.every((r) => r.statusCode === 200), results.map((r) => r.body).join('\n'));
        assert.equal(results.filter((r) => (r.json() as { valid: boolean }).valid).length, 1);
      }),
      { numRuns: 40, includeErrorInReport: true },
    );
  });

  it('of a correct SMS code, with the number written in different ways, are valid exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('e164', 'bare', 'spaced', 'dashed'), { minLength: 2, maxLength: 12 }), async (forms) => {
        const { bare, e164 } = randomMobile();
        await svc.verifier.sms!.send({ phone: bare, purpose: 'login', captcha: await svc.solvedCaptcha() });
        const code = (await svc.lastSmsCode(e164))!;
        const written = { e164, bare, spaced: `+86 ${bare.slice(0, 3)} ${bare.slice(3, 7)} ${bare.slice(7)}`, dashed: `${bare.slice(0, 3)}-${bare.slice(3, 7)}-${bare.slice(7)}` };
        const results = await Promise.all(forms.map((f) => svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: written[f as keyof typeof written], purpose: 'login', code } })));
        // Replays of a used code count as failures, so a long burst may meet the lock; never anything else.
        assert.ok(results.every((r) => r.statusCode === 200 || r.json().error?.code === 'CHECK_LOCKED'), results.map((r) => r.body).join());
        assert.equal(results.filter((r) => (r.json() as { valid: boolean }).valid).length, 1);
      }),
      { numRuns: 25, includeErrorInReport: true },
    );
  });
});

describe('X-Forwarded-For without a trusted proxy', () => {
  let svc: TestService;
  before(async () => {
    svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: '3' });
  });
  after(async () => {
    await svc.close();
  });

  let socketIp = 0;
  it('is ignored: the client address is the socket, whatever the header claims', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('127.0.0.1, 10.0.0.1'), fc.constant('unknown')), { minLength: 5, maxLength: 5 }), async (claims) => {
        const remoteAddress = `198.51.100.${++socketIp % 250}`;
        const issued = [];
        for (const claim of claims) {
          const res = await svc.app.inject({ method: 'POST', url: '/v1/captchas', remoteAddress, headers: { 'x-forwarded-for': claim } });
          issued.push(res.statusCode);
        }
        assert.deepEqual(issued, [201, 201, 201, 429, 429]);
      }),
      { numRuns: 20, includeErrorInReport: true },
    );
  });
});

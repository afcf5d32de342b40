// A real Turnstile client against verifyd: better-auth's captcha plugin, set to Cloudflare
// Turnstile with its siteverify URL pointed at a listening verifyd, guards better-auth's own
// sign-up endpoint. Receipts come from solving a captcha through verifyd's HTTP API.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { captcha } from 'better-auth/plugins';
import { receipts } from '../../src/core/receipts.ts';
import { BACKEND_KEY, testService, type TestService } from '../helpers/service.ts';

const SITE = 'shop.example';
const SECRET = 'trust-test-secret-0123456789abcdef0123';
const RECEIPT_KEY = { id: 'k2026', secret: 'receipt-key-0123456789abcdef0123456789' };
// A short lifetime, as an operator may set it: the expired receipt below is one of these, issued 11 s ago.
const RECEIPT_TTL = 10;

let svc: TestService;
let verifyd: string;
/** What better-auth logged about each refusal: the reason and the error codes siteverify gave. */
const refusals: { reason: string; errorCodes?: string[] }[] = [];
const problems: string[] = [];

/** A better-auth app on its memory adapter, its sign-up guarded by the Turnstile captcha plugin. */
function application(secretKey: string) {
  const db = { user: [] as { email: string }[], session: [], account: [], verification: [] };
  const auth = betterAuth({
    baseURL: `https://${SITE}`,
    secret: 'better-auth-secret-0123456789abcdef0123456789',
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    logger: {
      log: (level, message, details?: { reason: string; errorCodes?: string[] }) => {
        if (level === 'warn' && details?.reason) refusals.push(details);
        else if (level === 'error') problems.push(message);
      },
    },
    plugins: [
      captcha({
        provider: 'cloudflare-turnstile',
        secretKey,
        siteVerifyURLOverride: `${verifyd}/v1/siteverify`,
        expectedAction: 'sign-up',
        allowedHostnames: [SITE],
      }),
    ],
  });
  const signUp = async (receipt: string, email: string) => {
    const response = await auth.handler(
      new Request(`https://${SITE}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `https://${SITE}`, 'x-forwarded-for': '203.0.113.7', 'x-captcha-response': receipt },
        body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Ada' }),
      }),
    );
    return { status: response.status, body: (await response.json()) as { code?: string; user?: { email: string } } };
  };
  return { signUp, users: db.user };
}

/** Solves a captcha the way a page does, through verifyd's HTTP API, and returns its receipt. */
async function solveCaptcha(action = 'sign-up'): Promise<string> {
  const issued = (await (await fetch(`${verifyd}/v1/captchas`, { method: 'POST' })).json()) as { id: string };
  const checked = await fetch(`${verifyd}/v1/captchas/${issued.id}/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `https://${SITE}` },
    body: JSON.stringify({ answer: svc.answers.get(issued.id), action }),
  });
  const { valid, receipt } = (await checked.json()) as { valid: boolean; receipt: string };
  assert.equal(valid, true);
  return receipt;
}

let app: ReturnType<typeof application>;
let email = 0;
const nextEmail = () => `user${++email}@example.com`;

before(async () => {
  svc = await testService({
    VERIFYD_SECRET: SECRET,
    VERIFYD_RECEIPT_KEYS: `${RECEIPT_KEY.id}:${RECEIPT_KEY.secret}`,
    VERIFYD_RECEIPT_TTL: String(RECEIPT_TTL),
  });
  verifyd = await svc.app.listen({ host: '127.0.0.1', port: 0 });
  app = application(BACKEND_KEY);
});
after(async () => {
  await svc.close();
});

it('a sign-up carrying a fresh receipt succeeds', async () => {
  const { status, body } = await app.signUp(await solveCaptcha(), 'ada@example.com');
  assert.equal(status, 200);
  assert.equal(body.user?.email, 'ada@example.com');
  assert.deepEqual(problems, []);
});

it('the same receipt again is refused as a duplicate', async () => {
  const receipt = await solveCaptcha();
  assert.equal((await app.signUp(receipt, nextEmail())).status, 200);
  refusals.length = 0;
  const again = await app.signUp(receipt, nextEmail());
  assert.equal(again.status, 403);
  assert.equal(again.body.code, 'VERIFICATION_FAILED');
  assert.deepEqual(refusals.map((r) => r.errorCodes), [['timeout-or-duplicate']]);
});

it('forged receipts are refused, and do not spend the genuine one', async () => {
  const genuine = await solveCaptcha();
  const [version, kid, payload, signature] = genuine.split('.') as [string, string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number };
  const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url');
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  const forgeries = [`${version}.${kid}.${longer}.${signature}`, `${version}.${kid}.${payload}.${flipped}`];
  refusals.length = 0;
  for (const forged of forgeries) {
    const { status, body } = await app.signUp(forged, nextEmail());
    assert.equal(status, 403);
    assert.equal(body.code, 'VERIFICATION_FAILED');
  }
  assert.deepEqual(refusals.map((r) => r.errorCodes), [['invalid-input-response'], ['invalid-input-response']]);
  assert.equal((await app.signUp(genuine, nextEmail())).status, 200);
});

it('an expired receipt is refused', async () => {
  // What verifyd signed 11 s ago with its --receipt-ttl of 10: the same keys, the clock moved back.
  const earlier = receipts({
    store: svc.store,
    keys: [{ id: RECEIPT_KEY.id, secret: Buffer.from(RECEIPT_KEY.secret) }],
    secret: Buffer.from(SECRET),
    ttlSeconds: RECEIPT_TTL,
    now: () => Date.now() - (RECEIPT_TTL + 1) * 1000,
  });
  const expired = earlier.issue({ channel: 'captcha', action: 'sign-up', hostname: SITE, cdata: '' });
  refusals.length = 0;
  const { status } = await app.signUp(expired, nextEmail());
  assert.equal(status, 403);
  assert.deepEqual(refusals.map((r) => r.errorCodes), [['timeout-or-duplicate']]);
});

it('a receipt solved for another action is refused by the action better-auth expects', async () => {
  refusals.length = 0;
  const { status } = await app.signUp(await solveCaptcha('login'), nextEmail());
  assert.equal(status, 403);
  assert.deepEqual(refusals.map((r) => r.reason), ['action_mismatch']);
});

it('a back end with a wrong key is refused, and the user keeps the receipt', async () => {
  // Turnstile answers a wrong secret with an HTTP error, so better-auth reports its own failure (500).
  const misconfigured = application('not-the-back-end-key-0123456789abcdef');
  const receipt = await solveCaptcha();
  problems.length = 0;
  const { status, body } = await misconfigured.signUp(receipt, nextEmail());
  assert.equal(status, 500);
  assert.equal(body.code, 'UNKNOWN_ERROR');
  assert.equal(misconfigured.users.length, 0);
  assert.ok(problems.length > 0);
  assert.equal((await app.signUp(receipt, nextEmail())).status, 200);
});

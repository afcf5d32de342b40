// Pins every store key verifyd writes, byte for byte, by running each flow through the core on a
// store that records the keys it is handed. Redis data of a running deployment (and the django
// layout a Django back end reads) stays valid only while these strings do not change.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChallengeV2 } from '../../src/core/pow/altcha-wire.ts';
import type { SmsMessage, EmailMessage } from '../../src/core/types.ts';
import { createVerifier, type VerifierOptions } from '../../src/core/verifier.ts';
import { memoryStore } from '../../src/stores/memory.ts';
import type { CodeKeys, SendWindow, Store } from '../../src/stores/store.ts';
import { solveV2 } from '../helpers/pow-solver.ts';
import { SECRET } from '../helpers/service.ts';

const ID = '0b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b';
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

/** A memory store that remembers every key it is given, in order. */
function recordingStore(): { store: Store; keys: string[] } {
  const inner = memoryStore();
  const keys: string[] = [];
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const [first, , third] = args;
        if (typeof first === 'string') keys.push(first);
        else if (first !== null && typeof first === 'object' && 'code' in first) keys.push(...Object.values(first as CodeKeys));
        if (name === 'takeSendSlot') keys.push(...(third as SendWindow[]).map((w) => w.key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, keys };
}

/** The keys with their random parts (token hashes, receipt and challenge ids) named instead. */
const shapes = (keys: string[]) =>
  [
    ...new Set(
      keys.map((k) =>
        k
          .replace(/(email:token:)[A-Za-z0-9_-]{43}$/, '$1<token-hmac>')
          .replace(/(receipt:)[A-Za-z0-9_-]+$/, '$1<receipt-id>')
          .replace(/(:pow:v2:)[0-9a-f]+$/, '$1<challenge-id>'),
      ),
    ),
  ].sort();

async function runEveryFlow(options: Partial<VerifierOptions> = {}) {
  const { store, keys } = recordingStore();
  const answers = new Map<string, string>();
  const sms: SmsMessage[] = [];
  const mail: EmailMessage[] = [];
  const verifier = createVerifier({
    store,
    secret: Buffer.from(SECRET),
    captchaRateLimit: 10,
    checkRateLimit: 10,
    onCaptchaIssued: ({ id, answer }) => answers.set(id, answer),
    sms: { sender: { name: 'memory', send: async (m) => void sms.push(m) }, phone: { defaultCountry: 'CN' }, limits: { dailyBudget: 100, now: () => NOW, perPrefix: [{ max: 10, windowMs: 3_600_000 }] } },
    email: { sender: { name: 'memory', send: async (m) => void mail.push(m) }, confirmLink: (token) => `https://v.example/c?token=${token}` },
    pow: { deviceRate: 20_000, now: () => NOW + 1000 },
    ...options,
  });
  const solvedCaptcha = async (id: string) => {
    await verifier.issueCaptcha({ id }, { ip: '203.0.113.7' });
    return { id, answer: answers.get(id)! };
  };
  const client = { ip: '203.0.113.7', site: 'app.example' };

  const checked = await verifier.checkCaptcha(ID, 'wrong', client);
  assert.equal(checked.valid, false);
  await verifier.sms!.send({ phone: '13800138000', purpose: 'register', captcha: await solvedCaptcha('1b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b') }, client);
  await verifier.drain();
  const smsCheck = await verifier.sms!.check({ phone: '13800138000', purpose: 'register', code: sms[0]!.code }, client);
  await verifier.redeemReceipt(smsCheck.receipt);
  await verifier.email!.send({ email: 'Someone@Example.com', purpose: 'login', captcha: await solvedCaptcha('2b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b') }, client);
  await verifier.drain();
  await verifier.email!.check({ email: 'someone@example.com', purpose: 'login', code: mail[0]!.code }, client);
  const token = new URL(mail[0]!.confirmUrl).searchParams.get('token')!;
  await verifier.email!.peekToken(token);
  await verifier.email!.confirm(token, client);
  await verifier.email!.takeConfirmation('someone@example.com', 'login');
  const { challenge } = await verifier.issuePowChallenge({ action: 'login' }, client);
  await verifier.verifyPow((await solveV2(challenge as ChallengeV2)).payload, { action: 'login' }, client);
  return shapes(keys);
}

describe('store keys', () => {
  it('every key of every flow keeps its shape (verifyd layout)', async () => {
    const window = Math.floor((NOW + 1000) / 600_000);
    assert.deepEqual(await runEveryFlow(), [
      'verifyd:captcha:0b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b',
      'verifyd:captcha:1b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b',
      'verifyd:captcha:2b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b',
      'verifyd:email:limit:ip:203.0.113.7:3600000',
      'verifyd:email:limit:ip:203.0.113.7:60000',
      'verifyd:email:token:<token-hmac>',
      'verifyd:email:{someone@example.com}:attempts:login',
      'verifyd:email:{someone@example.com}:code:login',
      'verifyd:email:{someone@example.com}:confirmed:login',
      'verifyd:email:{someone@example.com}:failures',
      'verifyd:email:{someone@example.com}:lock',
      'verifyd:email:{someone@example.com}:resend',
      'verifyd:email:{someone@example.com}:sent:3600000',
      'verifyd:email:{someone@example.com}:sent:86400000',
      'verifyd:limit:captcha-ip:203.0.113.7',
      'verifyd:limit:check-ip:203.0.113.7',
      'verifyd:limit:email-check-ip:203.0.113.7',
      'verifyd:limit:sms-check-ip:203.0.113.7',
      'verifyd:pow-traffic:ip:{203.0.113.7}:' + (window - 1),
      'verifyd:pow-traffic:ip:{203.0.113.7}:' + window,
      'verifyd:pow-traffic:site:{all}:' + (window - 1),
      'verifyd:pow-traffic:site:{all}:' + window,
      'verifyd:pow:v2:<challenge-id>',
      'verifyd:receipt:<receipt-id>',
      'verifyd:sms:limit:budget:2026-11-26:86400000',
      'verifyd:sms:limit:ip:203.0.113.7:3600000',
      'verifyd:sms:limit:ip:203.0.113.7:60000',
      'verifyd:sms:limit:prefix:+861380013:3600000',
      'verifyd:sms:{+8613800138000}:attempts:register',
      'verifyd:sms:{+8613800138000}:code:register',
      'verifyd:sms:{+8613800138000}:failures',
      'verifyd:sms:{+8613800138000}:lock',
      'verifyd:sms:{+8613800138000}:provider-rejected',
      'verifyd:sms:{+8613800138000}:provider-throttled',
      'verifyd:sms:{+8613800138000}:resend',
      'verifyd:sms:{+8613800138000}:sent:3600000',
      'verifyd:sms:{+8613800138000}:sent:86400000',
    ]);
  });

  it('a key prefix prefixes every key', async () => {
    const keys = await runEveryFlow({ keyPrefix: 'tenant-a/' });
    assert.deepEqual(
      keys.filter((k) => !k.startsWith('tenant-a/')),
      [],
    );
    assert.ok(keys.includes('tenant-a/sms:{+8613800138000}:code:register'));
  });

  it('the django layout keeps the seed\'s captcha key: the uuid itself, as given', async () => {
    const keys = await runEveryFlow({ layout: 'django' });
    assert.ok(keys.includes('0b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b'));
    assert.ok(keys.includes('1b7c8e52-3f1a-4d2b-9c6e-8a1f2e3d4c5b'));
    assert.ok(!keys.some((k) => k.includes('captcha:')));
    // Everything else keeps the verifyd layout's keys.
    assert.ok(keys.includes('verifyd:sms:{+8613800138000}:code:register'));
  });
});

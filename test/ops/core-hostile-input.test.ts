// Hostile values thrown at the core directly, as hostile-input.test.ts throws them at HTTP: every
// public function of the verifier and its flows, every argument, seeded random mixes of wrong
// types, sizes and shapes. Each call resolves or rejects with a VerifyError from the one table,
// never a TypeError, and leaves the verifier working.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ERRORS, isVerifyError } from '../../src/errors.ts';
import { Random } from '../../src/captcha/random.ts';
import { runTimeCompilations } from '../../src/core/schemas.ts';
import { testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

const HOSTILE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  '66ea64aa-fbe6-11ea-a3d3-005056c00008',
  [],
  ['a'],
  {},
  { id: 1 },
  { phone: { toString: () => '13900000000' }, purpose: 'login' },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  Object.create(null),
  () => 'x',
  Symbol('x'),
  10n,
  Buffer.from('x'),
  new Date(0),
  { captcha: { id: null, answer: [] }, phone: '13900000000', purpose: 'login' },
  { email: 'a@example.com', purpose: 'nope', code: 123456 },
  { ip: ['1.2.3.4'], site: {} },
  { action: 'x'.repeat(40), cdata: 5 },
];

type Call = [name: string, arity: number, fn: (...args: unknown[]) => Promise<unknown>];

function calls(): Call[] {
  const v = svc.verifier as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const sms = svc.verifier.sms as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const email = svc.verifier.email as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return [
    ['issueCaptcha', 2, (...a) => v.issueCaptcha!(...a)],
    ['checkCaptcha', 4, (...a) => v.checkCaptcha!(...a)],
    ['redeemReceipt', 2, (...a) => v.redeemReceipt!(...a)],
    ['issuePowChallenge', 2, (...a) => v.issuePowChallenge!(...a)],
    ['verifyPow', 4, (...a) => v.verifyPow!(...a)],
    ['sms.send', 2, (...a) => sms.send!(...a)],
    ['sms.check', 2, (...a) => sms.check!(...a)],
    ['email.send', 2, (...a) => email.send!(...a)],
    ['email.check', 2, (...a) => email.check!(...a)],
    ['email.peekToken', 1, (...a) => email.peekToken!(...a)],
    ['email.confirm', 2, (...a) => email.confirm!(...a)],
    ['email.takeConfirmation', 2, (...a) => email.takeConfirmation!(...a)],
  ];
}

async function outcome(name: string, args: unknown[], fn: Call[2]): Promise<void> {
  let result: Promise<unknown>;
  try {
    result = fn(...args);
  } catch (err) {
    assert.fail(`${name} threw synchronously: ${String(err)}`);
  }
  assert.ok(result instanceof Promise, `${name} returns a promise`);
  try {
    await result;
  } catch (err) {
    const shown = args.map((a) => (typeof a === 'symbol' || typeof a === 'bigint' ? String(a) : typeof a === 'string' ? a.slice(0, 20) : typeof a)).join(', ');
    assert.ok(isVerifyError(err), `${name}(${shown}) rejected with ${String(err)}, not a VerifyError`);
    assert.ok(err.code in ERRORS);
    assert.notEqual(err.code, 'INTERNAL_ERROR');
  }
}

it('refuses each hostile value in each argument with a VerifyError', async () => {
  for (const [name, arity, fn] of calls()) {
    for (let position = 0; position < arity; position++) {
      for (const value of HOSTILE) {
        const args: unknown[] = Array.from({ length: arity }, () => undefined);
        args[position] = value;
        await outcome(name, args, fn);
      }
    }
  }
});

it('refuses seeded random mixes of hostile values with a VerifyError', async () => {
  const random = new Random(20261126);
  const pick = () => HOSTILE[random.int(0, HOSTILE.length - 1)];
  for (let round = 0; round < 400; round++) {
    for (const [name, arity, fn] of calls()) await outcome(name, Array.from({ length: arity }, pick), fn);
  }
});

it('checked every argument with validators compiled at build time', () => {
  assert.equal(runTimeCompilations(), 0, 'a core schema is missing from src/core/validators.compiled.ts: npm run build');
});

it('still issues and checks captchas afterwards', async () => {
  const { id, answer } = await svc.solvedCaptcha();
  assert.equal((await svc.verifier.checkCaptcha(id, answer)).valid, true);
});

// The proof-of-work conformance cases, run against every store (memory and Redis): a payload is
// accepted once however many copies race, and every altered, expired or misdirected payload is
// refused without spending the challenge.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isVerifyError } from '../../../src/errors.ts';
import type { ChallengeV1, ChallengeV2 } from '../../../src/core/pow/altcha-wire.ts';
import type { Store } from '../../../src/stores/store.ts';
import { createVerifier, type Verifier } from '../../../src/core/verifier.ts';
import { decodePayload, encodePayload, solveV1, solveV2 } from '../../helpers/pow-solver.ts';
import { SECRET } from '../../helpers/service.ts';

const refusedWith = (code: string) => (err: unknown) => isVerifyError(err) && err.code === code;

export function powConformanceSuite(label: string, openStore: () => Promise<Store>): void {
  describe(`proof of work on ${label}`, () => {
    let store: Store;
    let verifier: Verifier;
    // A clock the expiry cases can move; the store's own expiry still runs on real time.
    let skew = 0;
    before(async () => {
      store = await openStore();
      // A fast reference device keeps the solves in tests to a few milliseconds.
      verifier = createVerifier({ store, secret: Buffer.from(SECRET), keyPrefix: `pow-${Date.now()}:`, pow: { deviceRate: 20_000, now: () => Date.now() + skew } });
    });
    after(async () => {
      await store.close();
    });

    const challengeFor = async (action = 'login') => (await verifier.issuePowChallenge({ action })).challenge as ChallengeV2;
    const solved = async (action = 'login') => (await solveV2(await challengeFor(action))).payload;

    it('a solved challenge verifies once and earns a receipt for its action', async () => {
      const payload = await solved('signup');
      const result = await verifier.verifyPow(payload, { action: 'signup' });
      assert.equal(result.valid, true);
      const redeemed = await verifier.redeemReceipt(result.receipt, { action: 'signup' });
      assert.ok(redeemed.success && redeemed.claims.channel === 'pow');
      await assert.rejects(verifier.verifyPow(payload, { action: 'signup' }), refusedWith('POW_USED'));
    });

    it('100 concurrent submissions of one payload: exactly 1 is accepted', async () => {
      const payload = await solved();
      const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => verifier.verifyPow(payload, { action: 'login' })));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      for (const o of outcomes) if (o.status === 'rejected') assert.ok(refusedWith('POW_USED')(o.reason), String(o.reason));
    });

    it('a tampered parameter is refused, and the genuine payload still verifies', async () => {
      const payload = await solved();
      for (const edit of [
        (p: any) => void (p.challenge.parameters.data.action = 'admin'),
        (p: any) => void (p.challenge.parameters.data.level = 3),
        (p: any) => void (p.challenge.parameters.expiresAt += 3600),
        (p: any) => void (p.challenge.parameters.nonce = '00'.repeat(16)),
        (p: any) => void (p.solution.derivedKey = 'ab'.repeat(32)),
        (p: any) => void (p.challenge.signature = 'cd'.repeat(32)),
        (p: any) => void (p.challenge.parameters.extra = 1),
      ]) {
        const body = decodePayload(payload);
        edit(body);
        await assert.rejects(verifier.verifyPow(encodePayload(body), { action: 'login' }), refusedWith('POW_INVALID'));
      }
      assert.equal((await verifier.verifyPow(payload, { action: 'login' })).valid, true);
    });

    it('a lowered cost is refused, even with work done at that cost', async () => {
      const challenge = await challengeFor();
      // The attacker's cheap variant: cost 1, its own prefix and key, the original signature.
      const cheap = { ...challenge, parameters: { ...challenge.parameters, cost: 1 } };
      const { counter, derivedKey } = await solveV2(challenge);
      const body = { challenge: cheap, solution: { counter, derivedKey } };
      await assert.rejects(verifier.verifyPow(encodePayload(body), { action: 'login' }), refusedWith('POW_INVALID'));
    });

    it('garbage is refused without spending anything', async () => {
      for (const junk of ['', 'not base64!', encodePayload({}), encodePayload([1]), encodePayload({ challenge: null, solution: null, test: true }), 'A'.repeat(5000)]) {
        await assert.rejects(verifier.verifyPow(junk), refusedWith('POW_INVALID'), junk.slice(0, 20));
      }
    });

    it('an expired challenge is refused with its own code, and not spent', async () => {
      const payload = await solved();
      skew = 301_000;
      try {
        await assert.rejects(verifier.verifyPow(payload, { action: 'login' }), refusedWith('POW_EXPIRED'));
      } finally {
        skew = 0;
      }
      assert.equal((await verifier.verifyPow(payload, { action: 'login' })).valid, true);
    });

    it('a challenge for one action is refused for another, and stays usable for its own', async () => {
      const payload = await solved('login');
      await assert.rejects(verifier.verifyPow(payload, { action: 'sms-send' }), refusedWith('POW_ACTION_MISMATCH'));
      assert.equal((await verifier.verifyPow(payload, { action: 'login' })).valid, true);
    });

    it('a challenge fetched from one site is refused from another', async () => {
      const { challenge } = await verifier.issuePowChallenge({ action: 'login' }, { site: 'shop.example' });
      const { payload } = await solveV2(challenge as ChallengeV2);
      await assert.rejects(verifier.verifyPow(payload, {}, { site: 'evil.example' }), refusedWith('POW_ACTION_MISMATCH'));
      const result = await verifier.verifyPow(payload, {}, { site: 'shop.example' });
      const redeemed = await verifier.redeemReceipt(result.receipt, { hostname: 'shop.example' });
      assert.equal(redeemed.success, true);
    });

    it('v1 payloads verify once', async () => {
      const { payload } = solveV1((await verifier.issuePowChallenge({ action: 'login', version: 1 })).challenge as ChallengeV1);
      assert.equal((await verifier.verifyPow(payload, { action: 'login' })).valid, true);
      await assert.rejects(verifier.verifyPow(payload, { action: 'login' }), refusedWith('POW_USED'));
    });

    it('a v1 salt spliced with digits of the number is refused (CVE-2025-68113), and the genuine one verifies', async () => {
      let challenge: ChallengeV1;
      let solution: { payload: string; number: number };
      do {
        challenge = (await verifier.issuePowChallenge({ action: 'login', version: 1 })).challenge as ChallengeV1;
        solution = solveV1(challenge);
      } while (solution.number < 10);
      const digits = String(solution.number);
      // Same hash, same signature: salt + number is one string, cut elsewhere.
      const spliced = { ...decodePayload(solution.payload), salt: challenge.salt + digits[0], number: Number(digits.slice(1)) };
      if (digits[1] !== '0') await assert.rejects(verifier.verifyPow(encodePayload(spliced), { action: 'login' }), refusedWith('POW_INVALID'));
      const asString = { ...decodePayload(solution.payload), number: digits };
      await assert.rejects(verifier.verifyPow(encodePayload(asString), { action: 'login' }), refusedWith('POW_INVALID'));
      assert.equal((await verifier.verifyPow(solution.payload, { action: 'login' })).valid, true);
    });

    it('a v1 payload solved past its expiry is refused as expired', async () => {
      const { payload } = solveV1((await verifier.issuePowChallenge({ action: 'login', version: 1 })).challenge as ChallengeV1);
      skew = 301_000;
      try {
        await assert.rejects(verifier.verifyPow(payload), refusedWith('POW_EXPIRED'));
      } finally {
        skew = 0;
      }
    });
  });
}

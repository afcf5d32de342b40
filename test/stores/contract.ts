// The store conformance suite: every Store implementation must pass all of it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeKeys, CodeLimits, Store } from '../../src/stores/store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let counter = 0;
const key = (name: string) => `contract:${process.pid}:${++counter}:${name}`;
/** A recipient's code keys under one hash tag, as the codes module makes them. */
const codeKeys = (): CodeKeys => {
  const tag = `{contract:${process.pid}:${++counter}}`;
  return { code: `${tag}:code`, attempts: `${tag}:attempts`, failures: `${tag}:failures`, lock: `${tag}:lock` };
};
const LIMITS: CodeLimits = { maxAttempts: 5, attemptWindowMs: 60_000, failuresBeforeLock: 10, failureWindowMs: 60_000, lockMs: 60_000 };
const burst = <T>(n: number, run: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => run(i)));

/** Runs the shared Store behaviours against the store `open()` returns. */
export function storeContract(label: string, open: () => Promise<Store>, close: (store: Store) => Promise<void> = (s) => s.close()): void {
  describe(`${label} store conformance`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await close(store);
    });

    it('get returns what set stored, and null for a missing key', async () => {
      const k = key('get');
      await store.set(k, 'value', 10_000);
      assert.equal(await store.get(k), 'value');
      assert.equal(await store.get(key('missing')), null);
    });

    it('set replaces an earlier value', async () => {
      const k = key('replace');
      await store.set(k, 'one', 10_000);
      await store.set(k, 'two', 10_000);
      assert.equal(await store.get(k), 'two');
    });

    it('entries expire after their ttl', async () => {
      const k = key('expire');
      await store.set(k, 'short', 50);
      await sleep(120);
      assert.equal(await store.get(k), null);
      assert.equal(await store.take(k), null);
    });

    it('take returns the value once and deletes it', async () => {
      const k = key('take');
      await store.set(k, 'once', 10_000);
      assert.equal(await store.take(k), 'once');
      assert.equal(await store.take(k), null);
      assert.equal(await store.get(k), null);
    });

    it('concurrent takes of one key hand the value to exactly one caller', async () => {
      const k = key('race');
      await store.set(k, 'prize', 10_000);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.take(k)));
      assert.equal(results.filter((r) => r === 'prize').length, 1);
    });

    it('setIfAbsent sets only when nothing is there, and reports the time left', async () => {
      const k = key('nx');
      assert.deepEqual(await store.setIfAbsent(k, 'first', 60_000), { set: true, ttlMs: 60_000 });
      const second = await store.setIfAbsent(k, 'second', 60_000);
      assert.equal(second.set, false);
      assert.ok(second.ttlMs > 55_000 && second.ttlMs <= 60_000, `ttl ${second.ttlMs}`);
      assert.equal(await store.get(k), 'first');
    });

    it('concurrent setIfAbsent calls let exactly one win', async () => {
      const k = key('nx-race');
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.setIfAbsent(k, String(i), 60_000)));
      assert.equal(results.filter((r) => r.set).length, 1);
    });

    it('setIfAbsent succeeds again once the earlier entry expired', async () => {
      const k = key('nx-expire');
      await store.setIfAbsent(k, 'a', 50);
      await sleep(120);
      assert.equal((await store.setIfAbsent(k, 'b', 1000)).set, true);
    });

    it('deleteIfEquals deletes only a matching value', async () => {
      const k = key('cad');
      await store.set(k, 'v1', 10_000);
      assert.equal(await store.deleteIfEquals(k, 'other'), false);
      assert.equal(await store.get(k), 'v1');
      assert.equal(await store.deleteIfEquals(k, 'v1'), true);
      assert.equal(await store.get(k), null);
      assert.equal(await store.deleteIfEquals(k, 'v1'), false);
    });

    it('delete reports whether something was there', async () => {
      const k = key('del');
      await store.set(k, 'x', 10_000);
      assert.equal(await store.delete(k), true);
      assert.equal(await store.delete(k), false);
    });

    it('increment counts within a fixed window and reports the time left', async () => {
      const k = key('incr');
      const first = await store.increment(k, 60_000);
      assert.equal(first.count, 1);
      assert.ok(first.ttlMs > 59_000 && first.ttlMs <= 60_000);
      const second = await store.increment(k, 60_000);
      assert.equal(second.count, 2);
      assert.ok(second.ttlMs <= first.ttlMs);
    });

    it('concurrent increments are all counted', async () => {
      const k = key('incr-race');
      await Promise.all(Array.from({ length: 40 }, () => store.increment(k, 60_000)));
      assert.equal((await store.increment(k, 60_000)).count, 41);
    });

    it('a counter starts again after its window', async () => {
      const k = key('incr-window');
      await store.increment(k, 50);
      await store.increment(k, 50);
      await sleep(120);
      assert.equal((await store.increment(k, 50)).count, 1);
    });

    it('keys are opaque: unicode and separators round-trip', async () => {
      const k = key('ключ:{tag}:空 间');
      await store.set(k, 'värde ✓', 10_000);
      assert.equal(await store.take(k), 'värde ✓');
    });

    it('putCaptcha stores an answer that take returns once', async () => {
      const k = key('captcha');
      await store.putCaptcha(k, 'answer', 10_000);
      assert.equal(await store.take(k), 'answer');
      assert.equal(await store.take(k), null);
    });

    it('spendCodeAttempt hands out the hash with the attempts left, then nothing once they are spent', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const lefts = [];
      for (let i = 0; i < 6; i++) {
        const grant = await store.spendCodeAttempt(k, LIMITS);
        lefts.push(grant.kind === 'granted' ? `${grant.hash}:${grant.attemptsLeft}` : grant.kind);
      }
      assert.deepEqual(lefts, ['hash:4', 'hash:3', 'hash:2', 'hash:1', 'hash:0', 'none']);
    });

    it('50 concurrent attempts on a 5-attempt code get exactly 5 comparisons', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const grants = await burst(50, () => store.spendCodeAttempt(k, { ...LIMITS, failuresBeforeLock: 1000 }));
      assert.equal(grants.filter((g) => g.kind === 'granted').length, 5);
      assert.deepEqual(grants.filter((g) => g.kind === 'granted').map((g) => g.kind === 'granted' && g.attemptsLeft).sort(), [0, 1, 2, 3, 4]);
    });

    it('a burst of checks never passes the failure lock', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const grants = await burst(40, () => store.spendCodeAttempt(k, LIMITS));
      assert.equal(grants.filter((g) => g.kind !== 'locked').length, LIMITS.failuresBeforeLock);
      const after = await store.spendCodeAttempt(k, LIMITS);
      assert.equal(after.kind, 'locked');
      assert.ok(after.kind === 'locked' && after.retryAfterMs > 50_000 && after.retryAfterMs <= 60_000);
    });

    it('checks without a live code count as failures too, so a prober meets the same lock', async () => {
      const k = codeKeys();
      const grants = await burst(12, () => store.spendCodeAttempt(k, LIMITS));
      assert.deepEqual(grants.map((g) => g.kind).sort(), [...Array(10).fill('none'), 'locked', 'locked'].sort());
    });

    it('100 concurrent correct checks: exactly one consumes the code', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const limits = { ...LIMITS, maxAttempts: 100, failuresBeforeLock: 1000 };
      const wins = await burst(100, async () => {
        const grant = await store.spendCodeAttempt(k, limits);
        return grant.kind === 'granted' && grant.hash === 'hash' && (await store.consumeCode(k, grant.hash, limits));
      });
      assert.equal(wins.filter(Boolean).length, 1);
      assert.equal(await store.get(k.code), null);
    });

    it('the last attempt on a code can still consume it, and a later attempt gets nothing', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const limits = { ...LIMITS, maxAttempts: 1 };
      const last = await store.spendCodeAttempt(k, limits);
      assert.deepEqual(last, { kind: 'granted', hash: 'hash', attemptsLeft: 0 });
      assert.equal((await store.spendCodeAttempt(k, limits)).kind, 'none');
      assert.equal(await store.consumeCode(k, 'hash', limits), true);
    });

    it('consumeCode needs the stored hash, refunds the failure and lifts the lock that failure set', async () => {
      const k = codeKeys();
      await store.set(k.code, 'hash', 60_000);
      const limits = { ...LIMITS, failuresBeforeLock: 2 };
      await store.spendCodeAttempt(k, limits);
      const grant = await store.spendCodeAttempt(k, limits);
      assert.equal(grant.kind, 'granted', 'the attempt that reaches the lock is still compared');
      assert.equal(await store.consumeCode(k, 'other', limits), false);
      assert.equal(await store.consumeCode(k, 'hash', limits), true);
      assert.equal(await store.get(k.failures), '1');
      assert.equal(await store.get(k.lock), null, 'the success lifted the lock its own attempt set');
      assert.equal(await store.get(k.attempts), null, 'a consumed code leaves no attempts behind');
    });

    it('attempts survive a new code: a resend buys no fresh guesses', async () => {
      const k = codeKeys();
      await store.set(k.code, 'first', 60_000);
      for (let i = 0; i < 5; i++) await store.spendCodeAttempt(k, LIMITS);
      await store.set(k.code, 'second', 60_000);
      assert.equal((await store.spendCodeAttempt(k, LIMITS)).kind, 'none');
    });

    it('takeSendSlot lets exactly one of concurrent sends through the interval', async () => {
      const tag = `{contract:${process.pid}:${++counter}}`;
      const windows = [{ key: `${tag}:hour`, max: 5, windowMs: 60_000 }];
      const slots = await burst(30, () => store.takeSendSlot(`${tag}:interval`, 60_000, windows));
      assert.equal(slots.filter((s) => s.ok).length, 1);
      const refused = slots.find((s) => !s.ok);
      assert.ok(refused && !refused.ok && refused.refusedBy === 'interval' && refused.retryAfterMs > 50_000);
      assert.equal(await store.get(`${tag}:hour`), '1', 'refused sends count in no window');
    });

    it('takeSendSlot fills each window exactly, names the full one, and counts nothing it refuses', async () => {
      const tag = `{contract:${process.pid}:${++counter}}`;
      const windows = [
        { key: `${tag}:hour`, max: 3, windowMs: 60_000 },
        { key: `${tag}:day`, max: 10, windowMs: 120_000 },
        { key: `${tag}:off`, max: 0, windowMs: 60_000 },
      ];
      const slots = await burst(20, () => store.takeSendSlot(`${tag}:interval`, 0, windows));
      assert.equal(slots.filter((s) => s.ok).length, 3);
      const refused = slots.find((s) => !s.ok);
      assert.ok(refused && !refused.ok && refused.refusedBy === 0 && refused.retryAfterMs > 50_000);
      assert.equal(await store.get(`${tag}:day`), '3');
      assert.equal(await store.get(`${tag}:off`), null, 'a window with max 0 is off');
      assert.equal(await store.get(`${tag}:interval`), null, 'no interval is held at 0 ms');
    });

    it('redeemOnce: 100 concurrent redemptions, exactly one redeemed', async () => {
      const k = key('redeem');
      const outcomes = await burst(100, (i) => store.redeemOnce(k, `idem-${i}`, 60_000));
      assert.equal(outcomes.filter((o) => o === 'redeemed').length, 1);
      assert.equal(outcomes.filter((o) => o === 'duplicate').length, 99);
    });

    it('redeemOnce: a retry with the same idempotency key is repeated, any other is a duplicate', async () => {
      const k = key('redeem-idem');
      assert.equal(await store.redeemOnce(k, 'abc', 60_000), 'redeemed');
      assert.equal(await store.redeemOnce(k, 'abc', 60_000), 'repeated');
      assert.equal(await store.redeemOnce(k, 'xyz', 60_000), 'duplicate');
      assert.equal(await store.redeemOnce(k, '', 60_000), 'duplicate');
      const bare = key('redeem-bare');
      assert.equal(await store.redeemOnce(bare, '', 60_000), 'redeemed');
      assert.equal(await store.redeemOnce(bare, '', 60_000), 'duplicate', 'no key, no retry');
    });

    it('ping resolves while the store is up', async () => {
      await store.ping();
    });
  });
}

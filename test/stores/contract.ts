// The store conformance suite: every Store implementation must pass all of it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/stores/store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let counter = 0;
const key = (name: string) => `contract:${process.pid}:${++counter}:${name}`;

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

    it('ping resolves while the store is up', async () => {
      await store.ping();
    });
  });
}

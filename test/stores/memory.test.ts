import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStore } from '../../src/stores/memory.ts';
import { storeContract } from './contract.ts';

storeContract('memory', async () => memoryStore());

describe('memory store', () => {
  it('drops the oldest captchas first when full, and counts them', async () => {
    let evicted = 0;
    const store = memoryStore({ maxCaptchas: 3, onEvict: (n) => (evicted += n) });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await store.putCaptcha(k, k, 60_000);
    assert.equal(store.size, 3);
    assert.equal(store.evictions, 2);
    assert.equal(evicted, 2);
    assert.equal(await store.get('a'), null);
    assert.equal(await store.get('b'), null);
    assert.equal(await store.get('e'), 'e');
    await store.close();
  });

  it('a replaced captcha counts as new for eviction order', async () => {
    const store = memoryStore({ maxCaptchas: 2 });
    await store.putCaptcha('a', '1', 60_000);
    await store.putCaptcha('b', '1', 60_000);
    await store.putCaptcha('a', '2', 60_000);
    await store.putCaptcha('c', '1', 60_000);
    assert.equal(await store.get('a'), '2');
    assert.equal(await store.get('b'), null);
    await store.close();
  });

  it('keeps dropping the oldest captcha first across many evictions, re-put keys included', async () => {
    const store = memoryStore({ maxCaptchas: 100 });
    for (let i = 0; i < 1000; i++) await store.putCaptcha(`k${i}`, String(i), 60_000);
    await store.putCaptcha('k950', 'again', 60_000);
    for (let i = 1000; i < 1051; i++) await store.putCaptcha(`k${i}`, String(i), 60_000);
    assert.equal(store.size, 100);
    assert.equal(await store.get('k949'), null);
    assert.equal(await store.get('k950'), 'again', 'a re-put key counts as new');
    assert.equal(await store.get('k951'), null);
    assert.equal(await store.get('k952'), '952');
    assert.equal(await store.get('k1050'), '1050');
    await store.close();
  });

  it('never drops security state for room: new state past the bound is refused with STORE_FULL', async () => {
    const store = memoryStore({ maxEntries: 3, maxCaptchas: 2 });
    await store.set('code', 'hash', 60_000);
    await store.increment('window', 60_000);
    await store.setIfAbsent('slot', '1', 60_000);
    await assert.rejects(store.set('another', 'x', 60_000), { code: 'STORE_FULL', status: 503 });
    await assert.rejects(store.increment('another', 60_000), { code: 'STORE_FULL' });
    await store.set('code', 'replaced', 60_000);
    assert.equal((await store.increment('window', 60_000)).count, 2, 'existing state still counts');
    for (let i = 0; i < 10; i++) await store.putCaptcha(`captcha${i}`, 'A', 60_000);
    assert.equal(await store.get('code'), 'replaced');
    assert.equal(await store.get('slot'), '1');
    await store.close();
  });

  it('a full store makes room again as state expires', async () => {
    let t = 0;
    const store = memoryStore({ maxEntries: 1, now: () => t });
    await store.set('short', '1', 100);
    await assert.rejects(store.set('next', '1', 100), { code: 'STORE_FULL' });
    t = 5000;
    await store.set('next', '1', 100);
    assert.equal(await store.get('next'), '1');
    await store.close();
  });

  it('sweeps expired entries without being asked', async () => {
    let t = 0;
    const store = memoryStore({ now: () => t, sweepIntervalMs: 5 });
    await store.set('x', '1', 100);
    t = 1000;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(store.size, 0);
    await store.close();
  });

  it('its sweep timer does not keep a process alive', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `import { memoryStore } from './src/stores/memory.ts'; const s = memoryStore({ sweepIntervalMs: 50 }); await s.set('k', 'v', 60000);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});

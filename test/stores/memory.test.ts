import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStore } from '../../src/stores/memory.ts';
import { storeContract } from './contract.ts';

storeContract('memory', async () => memoryStore());

describe('memory store', () => {
  it('drops the oldest entries first when full, and counts them', async () => {
    let evicted = 0;
    const store = memoryStore({ maxEntries: 3, onEvict: (n) => (evicted += n) });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await store.set(k, k, 60_000);
    assert.equal(store.size, 3);
    assert.equal(store.evictions, 2);
    assert.equal(evicted, 2);
    assert.equal(await store.get('a'), null);
    assert.equal(await store.get('b'), null);
    assert.equal(await store.get('e'), 'e');
    await store.close();
  });

  it('a replaced entry counts as new for eviction order', async () => {
    const store = memoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '1', 60_000);
    await store.set('a', '2', 60_000);
    await store.set('c', '1', 60_000);
    assert.equal(await store.get('a'), '2');
    assert.equal(await store.get('b'), null);
    await store.close();
  });

  it('keeps dropping the oldest first across many evictions, re-set keys included', async () => {
    const store = memoryStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await store.set(`k${i}`, String(i), 60_000);
    await store.set('k950', 'again', 60_000);
    for (let i = 1000; i < 1051; i++) await store.set(`k${i}`, String(i), 60_000);
    assert.equal(store.size, 100);
    assert.equal(await store.get('k949'), null);
    assert.equal(await store.get('k950'), 'again', 'a re-set key counts as new');
    assert.equal(await store.get('k951'), null);
    assert.equal(await store.get('k952'), '952');
    assert.equal(await store.get('k1050'), '1050');
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

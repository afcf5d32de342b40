// The adaptive difficulty through the core: levels rise with a client's, a number range's and
// the site's traffic, and fall back after the cool-down.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { memoryStore } from '../../../src/stores/memory.ts';
import { difficulty } from '../../../src/core/pow/difficulty.ts';

const clock = () => {
  let t = 1_800_000_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
};

it('a client’s level rises at each step of its traffic, and other clients stay at the base', async () => {
  const store = memoryStore();
  const { now } = clock();
  const d = difficulty({ store, levels: 4, ipSteps: [3, 6, 9], siteSteps: [0], now });
  const levels = [];
  for (let i = 0; i < 12; i++) levels.push(await d.challengeLevel({ ip: '203.0.113.7' }));
  assert.deepEqual(levels, [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
  assert.equal(await d.challengeLevel({ ip: '203.0.113.8' }), 0);
  await store.close();
});

it('the level falls back once the traffic has stopped for the cool-down', async () => {
  const store = memoryStore();
  const { now, advance } = clock();
  const d = difficulty({ store, levels: 4, cooldownSeconds: 600, ipSteps: [3, 6, 9], siteSteps: [0], now });
  for (let i = 0; i < 9; i++) await d.challengeLevel({ ip: '203.0.113.7' });
  advance(300_000);
  // Half a window later the burst still counts for about half.
  assert.ok((await d.challengeLevel({ ip: '203.0.113.7' })) >= 1);
  advance(1_200_000);
  assert.equal(await d.challengeLevel({ ip: '203.0.113.7' }), 0);
  await store.close();
});

it('site-wide traffic raises everyone’s level', async () => {
  const store = memoryStore();
  const d = difficulty({ store, levels: 3, ipSteps: [0], siteSteps: [5, 10], now: clock().now });
  for (let i = 0; i < 10; i++) await d.challengeLevel({ ip: `198.51.100.${i}` });
  assert.equal(await d.challengeLevel({ ip: '192.0.2.1' }), 2);
  await store.close();
});

it('sends to a number range raise that range’s level, read without counting', async () => {
  const store = memoryStore();
  const d = difficulty({ store, levels: 4, rangeSteps: [2, 4], siteSteps: [0], now: clock().now });
  assert.equal(await d.rangeLevel('+86139123'), 0);
  for (let i = 0; i < 4; i++) await d.countSend('+86139123');
  assert.equal(await d.rangeLevel('+86139123'), 2);
  assert.equal(await d.rangeLevel('+86139123'), 2);
  assert.equal(await d.rangeLevel('+86139124'), 0);
  assert.equal(await d.challengeLevel({ ip: '192.0.2.1' }, '+86139123'), 2);
  await store.close();
});

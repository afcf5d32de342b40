// logThrottle: the first occurrence of a cause at once, the rest of its interval as one count.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { logThrottle } from '../../src/service/log-throttle.ts';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('writes a cause once at once, then one line with the count of its later occurrences per interval', async () => {
  const throttle = logThrottle({ intervalMs: 20 });
  const written: string[] = [];
  const note = (cause: string) => throttle.note(cause, (count) => written.push(`${cause} ×${count}`));
  for (let i = 0; i < 5; i++) note('timeout');
  note('closed');
  assert.deepEqual(written, ['timeout ×1', 'closed ×1']);
  while (written.length < 3) await settle(10);
  assert.deepEqual(written, ['timeout ×1', 'closed ×1', 'timeout ×4']);
  // Quiet for a whole interval: the cause starts afresh, written at once.
  await settle(60);
  note('timeout');
  assert.equal(written.at(-1), 'timeout ×1');
  throttle.flush();
});

it('flush writes the counts gathered so far', () => {
  const throttle = logThrottle({ intervalMs: 60_000 });
  const written: number[] = [];
  for (let i = 0; i < 3; i++) throttle.note('x', (count) => written.push(count));
  throttle.flush();
  assert.deepEqual(written, [1, 2]);
});

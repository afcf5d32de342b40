import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sendGate } from '../../../src/core/limits/send-gate.ts';
import { memoryStore } from '../../../src/stores/memory.ts';
import { MAX_SEND_WINDOWS } from '../../../src/stores/store.ts';

it('refuses at construction more per-recipient windows than one store step can take', () => {
  const windows = Array.from({ length: MAX_SEND_WINDOWS + 1 }, (_, i) => ({ max: 5, windowMs: 60_000 * (i + 1) }));
  assert.throws(() => sendGate({ store: memoryStore(), channel: 'sms', perRecipient: windows }), RangeError);
  assert.doesNotThrow(() => sendGate({ store: memoryStore(), channel: 'sms', perRecipient: windows.slice(1) }));
});

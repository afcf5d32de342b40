import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logSender } from '../../../src/senders/sms/log.ts';
import { message } from './helpers.ts';

test('the log sender prints the code, the purpose and a masked number', async () => {
  const lines: string[] = [];
  await logSender({ write: (line) => lines.push(line), env: 'development' }).send(message);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /code=123456/);
  assert.match(lines[0]!, /purpose=register/);
  assert.match(lines[0]!, /\+86138\*\*\*\*8000/);
  assert.ok(!lines[0]!.includes('+8613800138000'), 'the full number is not printed');
});

test('the log sender is refused in production', () => {
  assert.throws(() => logSender({ write: () => {}, env: 'production' }), /the log sender prints codes and is refused in production/);
});

test('the log sender works when no environment is named', () => {
  assert.equal(logSender({ write: () => {}, env: undefined }).name, 'log');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sms from '../../../src/senders/sms/index.ts';

test('the SMS index exports exactly the five factories', () => {
  assert.deepEqual(Object.keys(sms).sort(), ['aliyunSender', 'logSender', 'tencentSender', 'twilioSender', 'webhookSender']);
});

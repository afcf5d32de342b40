import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logEmailSender } from '../../../src/senders/email/index.ts';
import type { EmailMessage } from '../../../src/core/types.ts';

const message: EmailMessage = {
  to: 'alice@example.com',
  code: '551204',
  confirmUrl: 'https://verify.example.com/v1/email/confirm?token=tok',
  purpose: 'login',
  ttlSeconds: 600,
  linkTtlSeconds: 3600,
  locale: 'en',
};

test('the log sender prints the recipient, subject, code and link', async () => {
  const lines: string[] = [];
  const sender = logEmailSender({ write: (line) => lines.push(line), env: 'development', brand: 'Acme' });
  assert.equal(sender.name, 'log');
  await sender.send(message);
  assert.equal(lines.length, 1);
  const [line = ''] = lines;
  assert.ok(line.includes('to=alice@example.com'));
  assert.ok(line.includes('subject="Your Acme sign-in code"'));
  assert.ok(line.includes('code=551204'));
  assert.ok(line.includes('link=https://verify.example.com/v1/email/confirm?token=tok'));
});

test('the log sender refuses to start in production', () => {
  assert.throws(() => logEmailSender({ write: () => {}, env: 'production' }), { name: 'SendError', kind: 'config' });
});

test('the log sender starts when no environment is set', () => {
  assert.doesNotThrow(() => logEmailSender({ write: () => {}, env: undefined }));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifySmtpError, type SmtpFailure } from '../../../src/senders/email/index.ts';
import type { SendErrorKind } from '../../../src/core/types.ts';

const cases: Array<[string, SmtpFailure, SendErrorKind]> = [
  ['a 421 reply', { code: 'EENVELOPE', responseCode: 421, command: 'RCPT TO' }, 'retryable'],
  ['a 450 mailbox busy', { code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' }, 'retryable'],
  ['a 452 insufficient storage', { code: 'EMESSAGE', responseCode: 452, command: 'DATA' }, 'retryable'],
  ['a 503 bad sequence', { code: 'EPROTOCOL', responseCode: 503, command: 'DATA' }, 'retryable'],
  ['a 550 for the recipient', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user' }, 'invalid_recipient'],
  ['a 551 user not local', { code: 'EENVELOPE', responseCode: 551, command: 'RCPT TO' }, 'invalid_recipient'],
  ['a 553 bad mailbox name', { code: 'EENVELOPE', responseCode: 553, command: 'RCPT TO' }, 'invalid_recipient'],
  ['a 550 5.7.1 policy refusal of the recipient', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.7.1 Relaying denied' }, 'rejected'],
  ['a 550 after DATA', { code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 Spam detected' }, 'rejected'],
  ['a 550 for the sender', { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }, 'config'],
  ['a 552 exceeded storage', { code: 'EMESSAGE', responseCode: 552, command: 'DATA' }, 'rejected'],
  ['a 554 transaction failed', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'rejected'],
  ['a 500 syntax error', { code: 'EPROTOCOL', responseCode: 500, command: 'DATA' }, 'rejected'],
  ['a 535 failed login', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'config'],
  ['a 530 authentication required', { code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM' }, 'config'],
  ['a 504 unknown auth mechanism', { code: 'EAUTH', responseCode: 504, command: 'AUTH CRAM-MD5' }, 'config'],
  ['missing credentials', { code: 'ENOAUTH' }, 'config'],
  ['a TLS failure', { code: 'ETLS' }, 'config'],
  ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'retryable'],
  ['an unknown host', { code: 'EDNS', originalCode: 'ENOTFOUND' }, 'retryable'],
  ['a dropped connection', { code: 'ECONNECTION' }, 'retryable'],
  ['a connect timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }, 'retryable'],
  ['a greeting timeout', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, 'retryable'],
  ['an idle-socket timeout', { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }, 'timeout'],
  ['a timeout of unknown kind', { code: 'ETIMEDOUT' }, 'timeout'],
  ['an unknown error', {}, 'retryable'],
];

for (const [what, failure, kind] of cases) {
  test(`${what} is ${kind}`, () => {
    assert.equal(classifySmtpError(failure), kind);
  });
}

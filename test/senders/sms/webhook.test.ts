import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SendErrorKind } from '../../../src/core/types.ts';
import { signWebhook, webhookSender } from '../../../src/senders/sms/webhook.ts';
import { message, reply, sendError, startServer } from './helpers.ts';
import type { ReceivedRequest, TestServer } from './helpers.ts';

describe('the webhook signature reproduces the Standard Webhooks reference vector', () => {
  // standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, test
  // "sign function works" (the same figures appear in the Python, Go and other libraries' tests).
  test('the reference message signs to the published signature', () => {
    assert.equal(
      signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
});

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// What a receiver does with the reference library, written out: all three headers present, the
// timestamp within five minutes, and one of the space-separated `v1,` signatures matching.
function verifyAsReceiver({ headers, body }: ReceivedRequest, secret: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('a webhook send round trip', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((request, response) => {
      if (!verifyAsReceiver(request, SECRET)) return reply(response, 401, { error: 'invalid signature' });
      response.writeHead(204).end();
    });
  });
  after(() => server.close());

  test('a send is accepted by a receiver that verifies the Standard Webhooks signature', async () => {
    await webhookSender({ url: server.url + '/hooks/sms', secret: SECRET }).send(message);
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/hooks/sms');
    assert.equal(request.headers['content-type'], 'application/json');
  });

  test('the body carries the message as an sms.code event', async () => {
    await webhookSender({ url: server.url, secret: SECRET }).send(message);
    const { headers, body } = server.requests.at(-1)!;
    const payload = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(payload.data, { to: '+8613800138000', code: '123456', purpose: 'register', ttl_seconds: 300, locale: 'zh-CN' });
    assert.equal(payload.type, 'sms.code');
    assert.equal(Math.floor(Date.parse(String(payload.timestamp)) / 1000), Number(headers['webhook-timestamp']));
  });

  test('every send gets a new msg_ id', async () => {
    const sender = webhookSender({ url: server.url, secret: SECRET });
    await sender.send(message);
    await sender.send(message);
    const [a, b] = server.requests.slice(-2).map((r) => r.headers['webhook-id']);
    assert.match(String(a), /^msg_[A-Za-z0-9_-]+$/);
    assert.notEqual(a, b);
  });

  test('a secret the receiver does not share is a config error that names no secret', async () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const error = await sendError(webhookSender({ url: server.url, secret: other }).send(message), 'config', '401');
    assert.ok(!error.message.includes(other.slice(6)) && !error.message.includes('123456'));
  });

  test('a secret not in whsec_ form is refused when the sender is made', () => {
    assert.throws(() => webhookSender({ url: server.url, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), TypeError);
    assert.throws(() => webhookSender({ url: server.url, secret: 'whsec_c2hvcnQ=' }), TypeError);
  });
});

describe('receiver answers map to SendError kinds', () => {
  let server: TestServer;
  let status = 200;
  before(async () => {
    server = await startServer((_request, response) => reply(response, status, { status }));
  });
  after(() => server.close());

  const cases: Array<[number, SendErrorKind | 'success']> = [
    [200, 'success'],
    [202, 'success'],
    [429, 'throttled'],
    [408, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [301, 'config'],
    [401, 'config'],
    [403, 'config'],
    [404, 'config'],
    [410, 'config'],
    [400, 'rejected'],
    [422, 'rejected'],
  ];
  for (const [code, kind] of cases) {
    test(`HTTP ${code} is ${kind}`, async () => {
      status = code;
      const send = webhookSender({ url: server.url, secret: SECRET }).send(message);
      if (kind === 'success') await send;
      else await sendError(send, kind, String(code));
    });
  }
});

describe('webhook transport failures (the shared ones are in conformance.ts)', () => {
  test('a URL fetch cannot use is a config error: the request never left', async () => {
    await sendError(webhookSender({ url: 'not a url', secret: SECRET }).send(message), 'config');
  });
});

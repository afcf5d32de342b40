import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SendErrorKind } from '../../../src/core/types.ts';
import { twilioSender } from '../../../src/senders/sms/twilio.ts';
import { assertNoLeak, message, reply, sendError, startServer } from './helpers.ts';
import type { ReceivedRequest, TestServer } from './helpers.ts';

const ACCOUNT_SID = 'AC00000000000000000000000000000000';
const AUTH_TOKEN = 'twilio-test-auth-token';

// A Message resource as the Messages reference shows it for a 201 Created.
function createdBody(form: URLSearchParams) {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: form.get('Body'),
    direction: 'outbound-api',
    from: form.get('From'),
    messaging_service_sid: form.get('MessagingServiceSid'),
    sid: 'SM00000000000000000000000000000000',
    status: 'queued',
    to: form.get('To'),
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM00000000000000000000000000000000.json`,
  };
}

// Twilio's check, written out: the account path, Basic credentials matching that account.
function authorised({ url, headers }: ReceivedRequest, sid: string, token: string): boolean {
  const [scheme, encoded] = String(headers.authorization).split(' ');
  return (
    url === `/2010-04-01/Accounts/${sid}/Messages.json` &&
    scheme === 'Basic' &&
    Buffer.from(encoded ?? '', 'base64').toString('utf8') === `${sid}:${token}`
  );
}

describe('HTTP Basic credentials match RFC 7617\'s published example', () => {
  // Twilio signs nothing itself: its API authenticates with HTTP Basic. RFC 7617 section 2 gives
  // user `Aladdin`, password `open sesame` → `Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==`.
  test('the Authorization header for Aladdin / open sesame is the RFC\'s', async () => {
    const server = await startServer((_request, response) => reply(response, 201, {}));
    try {
      await twilioSender({ accountSid: 'Aladdin', authToken: 'open sesame', from: '+15005550006', baseUrl: server.url }).send(message);
      assert.equal(server.requests[0]!.headers.authorization, 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    } finally {
      await server.close();
    }
  });
});

describe('a Twilio send round trip', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((request, response) => {
      if (!authorised(request, ACCOUNT_SID, AUTH_TOKEN)) {
        return reply(response, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      }
      reply(response, 201, createdBody(new URLSearchParams(request.body)));
    });
  });
  after(() => server.close());

  test('a send is accepted by a server that checks the account path and Basic credentials', async () => {
    await twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: server.url }).send(message);
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('the form carries To, From and the default body', async () => {
    await twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: server.url }).send(message);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(server.requests.at(-1)!.body)), {
      To: '+8613800138000',
      From: '+15005550006',
      Body: 'Your verification code is 123456. It expires in 5 minutes.',
    });
  });

  test('a messaging service is sent as MessagingServiceSid, with a custom body', async () => {
    await twilioSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      messagingServiceSid: 'MG00000000000000000000000000000000',
      body: (m) => `Code ${m.code}`,
      baseUrl: server.url + '/',
    }).send(message);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(server.requests.at(-1)!.body)), {
      To: '+8613800138000',
      MessagingServiceSid: 'MG00000000000000000000000000000000',
      Body: 'Code 123456',
    });
  });

  test('a wrong auth token is a config error that names no secret', async () => {
    const error = await sendError(
      twilioSender({ accountSid: ACCOUNT_SID, authToken: 'wrong-token', from: '+15005550006', baseUrl: server.url }).send(message),
      'config',
      '20003',
    );
    assertNoLeak(error, ['wrong-token', AUTH_TOKEN, '123456']);
  });

  test('giving both or neither of from and messagingServiceSid is refused when the sender is made', () => {
    assert.throws(() => twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } as never), TypeError);
    assert.throws(() => twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+1', messagingServiceSid: 'MG' } as never), TypeError);
  });
});

describe('Twilio answers map to SendError kinds', () => {
  let server: TestServer;
  let answer: { status: number; body: unknown } = { status: 201, body: {} };
  before(async () => {
    server = await startServer((_request, response) => reply(response, answer.status, answer.body));
  });
  after(() => server.close());

  // Error bodies in the shape of Twilio's REST exceptions: code, message, more_info, status.
  const cases: Array<[number, number | undefined, string, SendErrorKind]> = [
    [400, 21211, "The 'To' number +8613800138000 is not a valid phone number.", 'invalid_recipient'],
    [400, 21614, "'To' number +8613800138000 is not a valid mobile number", 'invalid_recipient'],
    [400, 21408, 'Permission to send an SMS has not been enabled for the region indicated by the \'To\' number: +8613800138000.', 'invalid_recipient'],
    [401, 20003, 'Authenticate', 'config'],
    [429, 20429, 'Too Many Requests', 'throttled'],
    [429, undefined, 'Too Many Requests', 'throttled'],
    [400, 21602, 'Message body is required.', 'rejected'],
    [500, 20500, 'An internal server error has occurred', 'retryable'],
    [503, undefined, 'Service Unavailable', 'retryable'],
  ];
  for (const [status, code, text, kind] of cases) {
    test(`HTTP ${status}${code === undefined ? '' : ` error ${code}`} is ${kind}`, async () => {
      answer = { status, body: { code, message: text, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
      const sender = twilioSender({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: server.url });
      const error = await sendError(sender.send(message), kind, code === undefined ? undefined : String(code));
      assertNoLeak(error, ['13800138000', AUTH_TOKEN]);
    });
  }
});


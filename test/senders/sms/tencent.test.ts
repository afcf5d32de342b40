import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SendErrorKind } from '../../../src/core/types.ts';
import { tc3Sign, tencentSender } from '../../../src/senders/sms/tencent.ts';
import type { TencentSenderOptions } from '../../../src/senders/sms/tencent.ts';
import { assertNoLeak, message, reply, sendError, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

describe('TC3-HMAC-SHA256 reproduces Tencent Cloud\'s published worked example', () => {
  // Tencent Cloud API 3.0, "Signature v3" (签名方法 v3, e.g. cloud.tencent.com/document/api/213/30654
  // and its English edition on tencentcloud.com): CVM DescribeInstances in ap-guangzhou at
  // X-TC-Timestamp 1551113065. The editions that print the whole key pair use SecretId
  // AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE and SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE (older
  // editions mask them with asterisks); every figure below is printed on that page.
  const example = tc3Sign({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    service: 'cvm',
    host: 'cvm.tencentcloudapi.com',
    timestamp: 1551113065,
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  });

  test('the CanonicalRequest is the published one, payload hash included', () => {
    assert.equal(
      example.canonicalRequest,
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
  });

  test('the StringToSign is the published one, with the date taken in UTC', () => {
    assert.equal(
      example.stringToSign,
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
  });

  test('the signature and the Authorization header are the published ones', () => {
    assert.equal(example.signature, '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    assert.equal(
      example.authorization,
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });
});

// What the test server does in Tencent's place, written independently of the sender: rebuild the
// canonical request from the headers actually received and the raw body, then derive the key.
function verifyTc3(headers: Record<string, string | string[] | undefined>, body: string, secretKey: string): boolean {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\w+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
    String(headers.authorization),
  );
  if (!match) return false;
  const [, , date, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  const timestamp = String(headers['x-tc-timestamp']);
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) return false;
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((name) => `${name}:${String(headers[name]).trim().toLowerCase()}\n`).join('');
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha(canonical)}`;
  let key: Buffer = createHmac('sha256', 'TC3' + secretKey).update(date).digest();
  key = createHmac('sha256', key).update(service).digest();
  key = createHmac('sha256', key).update('tc3_request').digest();
  return names.includes('host') && names.includes('content-type') && createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

// Bodies as in the SendSms (2021-01-11) reference and its error code page.
const OK_BODY = {
  Response: {
    SendStatusSet: [
      { SerialNo: '5000:1045710669157053657849499619', PhoneNumber: '+8613800138000', Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' },
    ],
    RequestId: 'a0aabda6-cf91-4f3e-a81f-9198114a2279',
  },
};
const SECRET_KEY = 'tencent-test-secret-key';
const NOW = new Date('2026-03-01T00:30:00Z');

describe('a Tencent send round trip', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((request, response) => {
      if (!verifyTc3(request.headers, request.body, SECRET_KEY)) {
        return reply(response, 200, {
          Response: {
            Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated. Please check your signature is correct.' },
            RequestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
          },
        });
      }
      reply(response, 200, OK_BODY);
    });
  });
  after(() => server.close());

  const options = (): TencentSenderOptions => ({
    secretId: 'AKID-test-secret-id',
    secretKey: SECRET_KEY,
    sdkAppId: '1400006666',
    signName: '腾讯云',
    templateId: '1110',
    endpoint: server.url,
    now: () => NOW,
  });

  test('a send is accepted by a server that recomputes the signature from the received request', async () => {
    await tencentSender(options()).send(message);
    assert.equal(server.requests.at(-1)!.method, 'POST');
  });

  test('the request carries the SendSms headers and body Tencent documents', async () => {
    await tencentSender(options()).send(message);
    const { headers, body } = server.requests.at(-1)!;
    assert.equal(headers['x-tc-action'], 'SendSms');
    assert.equal(headers['x-tc-version'], '2021-01-11');
    assert.equal(headers['x-tc-region'], 'ap-guangzhou');
    assert.equal(headers['x-tc-timestamp'], String(NOW.getTime() / 1000));
    assert.equal(headers['content-type'], 'application/json; charset=utf-8');
    assert.match(String(headers.authorization), /^TC3-HMAC-SHA256 Credential=AKID-test-secret-id\/2026-03-01\/sms\/tc3_request, /);
    assert.deepEqual(JSON.parse(body), {
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400006666',
      SignName: '腾讯云',
      TemplateId: '1110',
      TemplateParamSet: ['123456'],
    });
  });

  test('a wrong secret key is a config error whose message leaks neither code, number nor key', async () => {
    const error = await sendError(tencentSender({ ...options(), secretKey: 'wrong-key' }).send(message), 'config', 'AuthFailure.SignatureFailure');
    assertNoLeak(error, ['123456', '13800138000', 'wrong-key', SECRET_KEY]);
  });

  test('a code longer than six digits is a config error and nothing is sent', async () => {
    const before = server.requests.length;
    await sendError(tencentSender(options()).send({ ...message, code: '1234567' }), 'config');
    assert.equal(server.requests.length, before);
  });
});

describe('Tencent answers map to SendError kinds', () => {
  let server: TestServer;
  let answer: { status: number; body: unknown } = { status: 200, body: OK_BODY };
  before(async () => {
    server = await startServer((_request, response) => reply(response, answer.status, answer.body));
  });
  after(() => server.close());
  const sender = () =>
    tencentSender({ secretId: 'id', secretKey: SECRET_KEY, sdkAppId: '1400006666', signName: 's', templateId: '1', endpoint: server.url });

  const errorCases: Array<[string, SendErrorKind]> = [
    ['RequestLimitExceeded', 'throttled'],
    ['AuthFailure.SecretIdNotFound', 'config'],
    ['AuthFailure.SignatureExpire', 'config'],
    ['FailedOperation.SignatureIncorrectOrUnapproved', 'config'],
    ['FailedOperation.TemplateIncorrectOrUnapproved', 'config'],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'invalid_recipient'],
    ['InternalError.Timeout', 'retryable'],
    ['InternalError', 'retryable'],
    ['InvalidParameter', 'rejected'],
  ];
  for (const [code, kind] of errorCases) {
    test(`Response.Error ${code} is ${kind}`, async () => {
      answer = { status: 200, body: { Response: { Error: { Code: code, Message: `message for ${code}` }, RequestId: 'r' } } };
      await sendError(sender().send(message), kind, code);
    });
  }

  const statusCases: Array<[string, SendErrorKind]> = [
    ['LimitExceeded.PhoneNumberDailyLimit', 'throttled'],
    ['LimitExceeded.DeliveryFrequencyLimit', 'throttled'],
    ['FailedOperation.PhoneNumberInBlacklist', 'invalid_recipient'],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'invalid_recipient'],
    ['FailedOperation.InsufficientBalanceInSmsPackage', 'config'],
    ['InternalError.OtherError', 'retryable'],
  ];
  for (const [code, kind] of statusCases) {
    test(`SendStatusSet[0] ${code} is ${kind}`, async () => {
      answer = {
        status: 200,
        body: { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: '+8613800138000', Fee: 0, Code: code, Message: `number +8613800138000: ${code}`, IsoCode: 'CN' }], RequestId: 'r' } },
      };
      const error = await sendError(sender().send(message), kind, code);
      assertNoLeak(error, ['13800138000']);
    });
  }

  test('an HTTP 5xx without a JSON body is retryable', async () => {
    answer = { status: 503, body: '<html>Service Unavailable</html>' };
    await sendError(sender().send(message), 'retryable');
  });

  test('an HTTP 200 that cannot be read is a timeout, since the message may have gone out', async () => {
    answer = { status: 200, body: '{"Response":' };
    await sendError(sender().send(message), 'timeout');
  });
});


import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SendErrorKind } from '../../../src/core/types.ts';
import { aliyunPercentEncode, aliyunSender, aliyunSignature, aliyunStringToSign } from '../../../src/senders/sms/aliyun.ts';
import type { AliyunSenderOptions } from '../../../src/senders/sms/aliyun.ts';
import { assertNoLeak, message, reply, sendError, startServer } from './helpers.ts';
import type { ReceivedRequest, TestServer } from './helpers.ts';

describe('the Aliyun RPC signature reproduces Aliyun\'s published examples', () => {
  // Alibaba Cloud, "Signature mechanism" for RPC APIs (e.g. help.aliyun.com/document_detail/130769
  // and the identical page of every RPC product): ECS DescribeRegions with AccessKeyId `testid`,
  // secret `testsecret`, the StringToSign below and the signature OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
  const describeRegions = {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  };

  test('the DescribeRegions example gives the published StringToSign', () => {
    assert.equal(
      aliyunStringToSign('GET', describeRegions),
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
  });

  test('the DescribeRegions example gives the published signature', () => {
    assert.equal(aliyunSignature('GET', describeRegions, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  test('the older edition of that example, spelling the parameter TimeStamp, gives its published signature', () => {
    // The same pages' overview URL carries Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D; Aliyun's
    // developer community copy of the example (developer.aliyun.com/ask/210168) shows it is the
    // signature of the same request with the parameter spelled `TimeStamp`.
    const { Timestamp, ...rest } = describeRegions;
    assert.equal(aliyunSignature('GET', { ...rest, TimeStamp: Timestamp }, 'testsecret'), 'CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  // Aliyun SMS, "签名机制" (help.aliyun.com/document_detail/56189, later 101343): SendSms with
  // AccessKeyId `testId`, secret `testSecret` and a Chinese SignName. The parameters are on the
  // page; the StringToSign and signature below are that page's worked result.
  const sendSms = {
    AccessKeyId: 'testId',
    Action: 'SendSms',
    Format: 'XML',
    OutId: '123',
    PhoneNumbers: '15300000001',
    RegionId: 'cn-hangzhou',
    SignName: '阿里云短信测试专用',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
    SignatureVersion: '1.0',
    TemplateCode: 'SMS_71390007',
    TemplateParam: '{"customer":"test"}',
    Timestamp: '2017-07-12T02:42:19Z',
    Version: '2017-05-25',
  };

  test('the SendSms example with a Chinese sign name gives the published StringToSign', () => {
    assert.equal(
      aliyunStringToSign('GET', sendSms),
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001' +
        '%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1' +
        '%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007' +
        '%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z' +
        '%26Version%3D2017-05-25',
    );
  });

  test('the SendSms example gives the published signature', () => {
    assert.equal(aliyunSignature('GET', sendSms, 'testSecret'), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  test('percent-encoding follows specialUrlEncode: space as %20, * as %2A, ~ kept', () => {
    assert.equal(aliyunPercentEncode('a b*c~d+e/f'), 'a%20b%2Ac~d%2Be%2Ff');
    assert.equal(aliyunPercentEncode("!'()"), '%21%27%28%29');
  });
});

// What the test server does in Aliyun's place, written independently of the sender's code: the
// documented encoding byte by byte, the parameters sorted, HMAC-SHA1 with secret + '&'.
function encodeAsDocumented(text: string): string {
  const unreserved = /[A-Za-z0-9\-_.~]/;
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (unreserved.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0')))
    .join('');
}

function queryOf(request: ReceivedRequest): Map<string, string> {
  const query = request.url.slice(request.url.indexOf('?') + 1);
  return new Map(query.split('&').map((pair) => pair.split('=').map(decodeURIComponent) as [string, string]));
}

function expectedSignature(params: Map<string, string>, secret: string): { stringToSign: string; signature: string } {
  const canonical = [...params]
    .filter(([name]) => name !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${encodeAsDocumented(name)}=${encodeAsDocumented(value)}`)
    .join('&');
  const stringToSign = `GET&%2F&${encodeAsDocumented(canonical)}`;
  return { stringToSign, signature: createHmac('sha1', secret + '&').update(stringToSign).digest('base64') };
}

// Response bodies as in the SendSms reference and the error code table.
const OK_BODY = { Message: 'OK', RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990', Code: 'OK', BizId: '9006197469364984400' };
const SECRET = 'aliyun-test-secret-value';
const NOW = new Date('2026-03-01T08:00:00.123Z');

describe('an Aliyun send round trip', () => {
  let server: TestServer;
  const nonces = new Set<string>();

  before(async () => {
    server = await startServer((request, response) => {
      const params = queryOf(request);
      const { stringToSign, signature } = expectedSignature(params, SECRET);
      if (params.get('Signature') !== signature) {
        return reply(response, 400, {
          RequestId: 'B5F5BA3A-0F4E-4C5A-9A5B-4B1D8D9C7E11',
          HostId: 'dysmsapi.aliyuncs.com',
          Code: 'SignatureDoesNotMatch',
          Message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
        });
      }
      const nonce = params.get('SignatureNonce') ?? '';
      if (nonces.has(nonce)) return reply(response, 400, { RequestId: 'x', Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' });
      nonces.add(nonce);
      reply(response, 200, OK_BODY);
    });
  });
  after(() => server.close());

  const options = (): AliyunSenderOptions => ({
    accessKeyId: 'LTAI-test-key-id',
    accessKeySecret: SECRET,
    signName: '阿里云短信测试',
    templateCode: 'SMS_154950909',
    endpoint: server.url + '/',
    now: () => NOW,
  });

  test('a send is accepted by a server that recomputes the signature from the received query', async () => {
    await aliyunSender(options()).send(message);
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'GET');
    assert.ok(request.url.startsWith('/?Signature='), 'the request goes to the root path');
  });

  test('the request carries the SendSms parameters Aliyun documents', async () => {
    await aliyunSender(options()).send(message);
    const params = queryOf(server.requests.at(-1)!);
    assert.deepEqual(
      Object.fromEntries([...params].filter(([name]) => !['Signature', 'SignatureNonce'].includes(name))),
      {
        AccessKeyId: 'LTAI-test-key-id',
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: '13800138000',
        RegionId: 'cn-hangzhou',
        SignName: '阿里云短信测试',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_154950909',
        TemplateParam: '{"code":"123456"}',
        Timestamp: '2026-03-01T08:00:00Z',
        Version: '2017-05-25',
      },
    );
  });

  test('every request gets a fresh SignatureNonce', async () => {
    const sender = aliyunSender(options());
    await sender.send(message);
    await sender.send(message);
    const [a, b] = server.requests.slice(-2).map((r) => queryOf(r).get('SignatureNonce'));
    assert.ok(a && b && a !== b);
  });

  test('a number outside the mainland is sent as country code and number', async () => {
    await aliyunSender(options()).send({ ...message, to: '+85251234567' });
    assert.equal(queryOf(server.requests.at(-1)!).get('PhoneNumbers'), '85251234567');
  });

  test('a wrong secret is a config error whose message leaks neither code, number nor secret', async () => {
    const error = await sendError(aliyunSender({ ...options(), accessKeySecret: 'wrong-secret' }).send(message), 'config', 'SignatureDoesNotMatch');
    assertNoLeak(error, ['123456', '13800138000', 'wrong-secret', SECRET]);
  });

  test('a number not in E.164 form is refused without a request', async () => {
    const before = server.requests.length;
    await sendError(aliyunSender(options()).send({ ...message, to: '13800138000' }), 'invalid_recipient');
    assert.equal(server.requests.length, before);
  });
});

describe('Aliyun answers map to SendError kinds', () => {
  let server: TestServer;
  let answer: { status: number; body: unknown } = { status: 200, body: OK_BODY };
  before(async () => {
    server = await startServer((_request, response) => reply(response, answer.status, answer.body));
  });
  after(() => server.close());

  const cases: Array<[number, string, string, SendErrorKind]> = [
    [200, 'isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1', 'throttled'],
    [200, 'isv.DAY_LIMIT_CONTROL', '触发日发送限额', 'throttled'],
    [400, 'Throttling.User', 'Request was denied due to user flow control.', 'throttled'],
    [200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号', 'invalid_recipient'],
    [200, 'isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制', 'invalid_recipient'],
    [200, 'isp.SYSTEM_ERROR', '系统错误', 'retryable'],
    [503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 'retryable'],
    [200, 'isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名', 'config'],
    [200, 'isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板', 'config'],
    [200, 'isv.AMOUNT_NOT_ENOUGH', '账户余额不足', 'config'],
    [404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 'config'],
    [400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 'config'],
    [200, 'isv.INVALID_PARAMETERS', '参数异常', 'rejected'],
  ];
  for (const [status, code, text, kind] of cases) {
    test(`${code} (HTTP ${status}) is ${kind}`, async () => {
      answer = { status, body: { RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990', Code: code, Message: text } };
      const sender = aliyunSender({ accessKeyId: 'id', accessKeySecret: SECRET, signName: 's', templateCode: 't', endpoint: server.url + '/' });
      await sendError(sender.send(message), kind, code);
    });
  }

  test('an HTTP 5xx without a JSON body is retryable', async () => {
    answer = { status: 502, body: '<html>Bad Gateway</html>' };
    const sender = aliyunSender({ accessKeyId: 'id', accessKeySecret: SECRET, signName: 's', templateCode: 't', endpoint: server.url + '/' });
    await sendError(sender.send(message), 'retryable');
  });

  test('an HTTP 200 that cannot be read is a timeout, since the message may have gone out', async () => {
    answer = { status: 200, body: 'not json' };
    const sender = aliyunSender({ accessKeyId: 'id', accessKeySecret: SECRET, signName: 's', templateCode: 't', endpoint: server.url + '/' });
    await sendError(sender.send(message), 'timeout');
  });
});


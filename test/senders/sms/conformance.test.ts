// Runs the SMS sender conformance suite against all five senders.

import { aliyunSender, logSender, tencentSender, twilioSender, webhookSender } from '../../../src/senders/sms/index.ts';
import { smsSenderConformance } from './conformance.ts';

smsSenderConformance('log', { name: 'log', make: () => logSender({ write: () => {}, env: 'test' }) });

const ALIYUN_SECRET = 'aliyun-conformance-secret';
const aliyunError = (status: number, code: string, kind: 'throttled' | 'invalid_recipient' | 'config' | 'retryable' | 'rejected') => ({
  status,
  body: { RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990', Code: code, Message: `message for ${code}` },
  kind,
  providerCode: code,
});
smsSenderConformance('aliyun', {
  name: 'aliyun',
  provider: {
    make: (endpoint, { timeoutMs } = {}) =>
      aliyunSender({ accessKeyId: 'LTAI-conformance', accessKeySecret: ALIYUN_SECRET, signName: 's', templateCode: 'SMS_1', endpoint: endpoint + '/', ...(timeoutMs ? { timeoutMs } : {}) }),
    ok: { status: 200, body: { Message: 'OK', RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990', Code: 'OK', BizId: '9006197469364984400' } },
    failures: [
      aliyunError(200, 'isv.BUSINESS_LIMIT_CONTROL', 'throttled'),
      aliyunError(200, 'isv.MOBILE_NUMBER_ILLEGAL', 'invalid_recipient'),
      aliyunError(404, 'InvalidAccessKeyId.NotFound', 'config'),
      aliyunError(503, 'ServiceUnavailable', 'retryable'),
      aliyunError(200, 'isv.INVALID_PARAMETERS', 'rejected'),
    ],
    secrets: [ALIYUN_SECRET],
  },
});

const TENCENT_KEY = 'tencent-conformance-key';
const tencentError = (code: string, kind: 'throttled' | 'invalid_recipient' | 'config' | 'retryable' | 'rejected') => ({
  status: 200,
  body: { Response: { Error: { Code: code, Message: `message for ${code}` }, RequestId: 'r' } },
  kind,
  providerCode: code,
});
smsSenderConformance('tencent', {
  name: 'tencent',
  provider: {
    make: (endpoint, { timeoutMs } = {}) =>
      tencentSender({ secretId: 'AKID-conformance', secretKey: TENCENT_KEY, sdkAppId: '1400006666', signName: 's', templateId: '1', endpoint, ...(timeoutMs ? { timeoutMs } : {}) }),
    ok: {
      status: 200,
      body: { Response: { SendStatusSet: [{ SerialNo: '5000:1', PhoneNumber: '+8613800138000', Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId: 'r' } },
    },
    failures: [
      tencentError('RequestLimitExceeded', 'throttled'),
      tencentError('InvalidParameterValue.IncorrectPhoneNumber', 'invalid_recipient'),
      tencentError('AuthFailure.SecretIdNotFound', 'config'),
      tencentError('InternalError', 'retryable'),
      tencentError('InvalidParameter', 'rejected'),
    ],
    secrets: [TENCENT_KEY],
  },
});

const TWILIO_SID = 'AC00000000000000000000000000000000';
const TWILIO_TOKEN = 'twilio-conformance-token';
const twilioError = (status: number, code: number, kind: 'throttled' | 'invalid_recipient' | 'config' | 'retryable' | 'rejected') => ({
  status,
  body: { code, message: `error ${code} for +8613800138000`, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  kind,
  providerCode: String(code),
});
smsSenderConformance('twilio', {
  name: 'twilio',
  provider: {
    make: (endpoint, { timeoutMs } = {}) => twilioSender({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: '+15005550006', baseUrl: endpoint, ...(timeoutMs ? { timeoutMs } : {}) }),
    ok: { status: 201, body: { sid: 'SM00000000000000000000000000000000', status: 'queued' } },
    failures: [
      twilioError(429, 20429, 'throttled'),
      twilioError(400, 21211, 'invalid_recipient'),
      twilioError(401, 20003, 'config'),
      twilioError(500, 20500, 'retryable'),
      twilioError(400, 21602, 'rejected'),
    ],
    secrets: [TWILIO_TOKEN],
  },
});

const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const webhookError = (status: number, kind: 'throttled' | 'invalid_recipient' | 'config' | 'retryable' | 'rejected') => ({ status, body: { status }, kind, providerCode: String(status) });
smsSenderConformance('webhook', {
  name: 'webhook',
  provider: {
    // The URL may carry a token of its own: it must not show in errors either.
    make: (endpoint, { timeoutMs } = {}) => webhookSender({ url: `${endpoint}/hooks/sms?token=url-token-conformance`, secret: WEBHOOK_SECRET, ...(timeoutMs ? { timeoutMs } : {}) }),
    ok: { status: 204, body: '' },
    failures: [webhookError(429, 'throttled'), webhookError(401, 'config'), webhookError(500, 'retryable'), webhookError(422, 'rejected')],
    secrets: [WEBHOOK_SECRET.slice('whsec_'.length), 'url-token-conformance'],
    // HTTP status codes alone cannot say the number is bad; the receiver answers 4xx (rejected).
    cannotReport: ['invalid_recipient'],
  },
});

// Tencent Cloud SMS: SendSms, API version 2021-01-11, a JSON POST signed with TC3-HMAC-SHA256
// (Tencent Cloud API 3.0 "signature v3").

import { createHash, createHmac } from 'node:crypto';
import { SendError } from '../../core/types.ts';
import type { SendErrorKind, SmsMessage, SmsSender } from '../../core/types.ts';
import { parseJsonObject, providerRequest } from './provider-request.ts';
import { scrub } from './redact.ts';

export interface TencentSenderOptions {
  secretId: string;
  secretKey: string;
  /** The SMS application's SdkAppId, e.g. `1400006666`. */
  sdkAppId: string;
  /** An approved signature (签名内容), e.g. `腾讯云`. */
  signName: string;
  /** An approved verification-code template whose first variable `{1}` is the code. */
  templateId: string;
  /** Default: `ap-guangzhou`. */
  region?: string;
  /** Default: `https://sms.tencentcloudapi.com`. */
  endpoint?: string;
  /** Default: 5000. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** The clock for `X-TC-Timestamp`. Default: `() => new Date()`. */
  now?: () => Date;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A sender that calls SendSms once per message with `TemplateParamSet: [code]`. Success is
 * `SendStatusSet[0].Code: "Ok"`; `Response.Error` and any other status code are mapped to a
 * SendError kind. Codes that are not 1–6 digits are refused as `config` before anything is sent:
 * Tencent's verification-code templates take at most six digits.
 */
export function tencentSender({
  secretId,
  secretKey,
  sdkAppId,
  signName,
  templateId,
  region = 'ap-guangzhou',
  endpoint = 'https://sms.tencentcloudapi.com',
  timeoutMs = 5000,
  fetch = globalThis.fetch,
  now = () => new Date(),
}: TencentSenderOptions): SmsSender {
  for (const [name, value] of Object.entries({ secretId, secretKey, sdkAppId, signName, templateId })) {
    if (!value) throw new TypeError(`tencentSender: \`${name}\` is required`);
  }
  const host = new URL(endpoint).host;
  return {
    name: 'tencent',
    async send({ to, code }: SmsMessage) {
      if (!/^\d{1,6}$/.test(code)) {
        throw new SendError('config', 'tencent: verification-code templates take 1 to 6 digits; configure a shorter, numeric code');
      }
      const payload = JSON.stringify({
        PhoneNumberSet: [to],
        SmsSdkAppId: sdkAppId,
        SignName: signName,
        TemplateId: templateId,
        TemplateParamSet: [code],
      });
      const timestamp = Math.floor(now().getTime() / 1000);
      const { authorization } = tc3Sign({ secretId, secretKey, service: 'sms', host, timestamp, payload });
      const { status, text } = await providerRequest('tencent', fetch, endpoint, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': CONTENT_TYPE,
          'X-TC-Action': 'SendSms',
          'X-TC-Version': '2021-01-11',
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': region,
        },
        body: payload,
      }, timeoutMs);

      const response = parseJsonObject(text)?.Response as Record<string, unknown> | undefined;
      const error = response?.Error as Record<string, unknown> | undefined;
      const first = Array.isArray(response?.SendStatusSet) ? (response.SendStatusSet[0] as Record<string, unknown> | undefined) : undefined;
      const detail = error ?? first;
      const providerCode = typeof detail?.Code === 'string' ? detail.Code : undefined;
      if (status === 200 && error === undefined && providerCode === 'Ok') return;
      if (providerCode === undefined) {
        // A 2xx we cannot read may still mean the message went out.
        const kind: SendErrorKind = status >= 500 ? 'retryable' : status < 300 ? 'timeout' : 'rejected';
        throw new SendError(kind, `tencent: unexpected answer (HTTP ${status})`);
      }
      const message = typeof detail?.Message === 'string' ? scrub(detail.Message, [secretKey, code, to]) : '';
      throw new SendError(tencentErrorKind(providerCode, status), `tencent: ${providerCode} (HTTP ${status})${message ? ': ' + message : ''}`, { providerCode });
    },
  };
}

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The product, as in the credential scope: `sms`, `cvm`… */
  service: string;
  /** The `Host` header the request is sent with. */
  host: string;
  /** `X-TC-Timestamp`, Unix seconds; the scope's date is its UTC date. */
  timestamp: number;
  /** The exact request body. */
  payload: string;
}

export interface Tc3Signature {
  canonicalRequest: string;
  stringToSign: string;
  /** Lower-case hex. */
  signature: string;
  /** The `Authorization` header value. */
  authorization: string;
}

/**
 * TC3-HMAC-SHA256 for a JSON POST to `/` signing `content-type;host`: CanonicalRequest, then
 * StringToSign `TC3-HMAC-SHA256\n<ts>\n<date>/<service>/tc3_request\n<sha256(CanonicalRequest)>`,
 * then the key derived as `TC3`+secretKey → date → service → `tc3_request`.
 */
export function tc3Sign({ secretId, secretKey, service, host, timestamp, payload }: Tc3Input): Tc3Signature {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', `content-type:${CONTENT_TYPE}\nhost:${host.toLowerCase()}\n`, signedHeaders, sha256Hex(payload)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const secretDate = hmac('TC3' + secretKey, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization = `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, authorization };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

const KINDS: Record<string, SendErrorKind> = {
  'InvalidParameterValue.IncorrectPhoneNumber': 'invalid_recipient',
  'FailedOperation.PhoneNumberInBlacklist': 'invalid_recipient',
  'FailedOperation.PhoneNumberParseFail': 'invalid_recipient',
  'UnsupportedOperation.UnsupportedRegion': 'invalid_recipient',
  'FailedOperation.SignatureIncorrectOrUnapproved': 'config',
  'FailedOperation.TemplateIncorrectOrUnapproved': 'config',
  'FailedOperation.InsufficientBalanceInSmsPackage': 'config',
  'InvalidParameterValue.SdkAppIdNotExist': 'config',
};

function tencentErrorKind(code: string, status: number): SendErrorKind {
  const kind = KINDS[code];
  if (kind !== undefined) return kind;
  if (code.startsWith('LimitExceeded') || code.startsWith('RequestLimitExceeded')) return 'throttled';
  if (code.startsWith('InternalError')) return 'retryable';
  if (code.startsWith('AuthFailure') || code.startsWith('UnauthorizedOperation')) return 'config';
  return status >= 500 ? 'retryable' : 'rejected';
}

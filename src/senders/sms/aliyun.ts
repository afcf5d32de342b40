// Aliyun (Alibaba Cloud) Short Message Service: Dysmsapi SendSms, API version 2017-05-25, signed
// with the RPC signature (HMAC-SHA1, SignatureVersion 1.0) and sent as a GET query.

import { createHmac, randomUUID } from 'node:crypto';
import { SendError } from '../../core/types.ts';
import type { SendErrorKind, SmsMessage, SmsSender } from '../../core/types.ts';
import { parseJsonObject, providerRequest } from './provider-request.ts';
import { scrub } from './redact.ts';

export interface AliyunSenderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** An approved signature name (签名), e.g. `阿里云短信测试`. */
  signName: string;
  /** An approved template whose one variable is `${code}`, e.g. `SMS_154950909`. */
  templateCode: string;
  /** Default: `https://dysmsapi.aliyuncs.com/`. */
  endpoint?: string;
  /** Default: `cn-hangzhou`. */
  regionId?: string;
  /** Default: 5000. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** The clock for the `Timestamp` parameter. Default: `() => new Date()`. */
  now?: () => Date;
  /** The `SignatureNonce` for each request. Default: `randomUUID`. */
  nonce?: () => string;
}

/**
 * A sender that calls SendSms once per message with `TemplateParam` `{"code":"…"}`. Success is
 * `Code: "OK"`. Because SendSms is not idempotent, a timeout, or a failure after the request may
 * have left, is `timeout` and never `retryable`. Mainland numbers (`+86…`) are sent bare, others
 * as country code + number, as the SendSms reference describes.
 */
export function aliyunSender({
  accessKeyId,
  accessKeySecret,
  signName,
  templateCode,
  endpoint = 'https://dysmsapi.aliyuncs.com/',
  regionId = 'cn-hangzhou',
  timeoutMs = 5000,
  fetch = globalThis.fetch,
  now = () => new Date(),
  nonce = randomUUID,
}: AliyunSenderOptions): SmsSender {
  for (const [name, value] of Object.entries({ accessKeyId, accessKeySecret, signName, templateCode })) {
    if (!value) throw new TypeError(`aliyunSender: \`${name}\` is required`);
  }
  return {
    name: 'aliyun',
    async send({ to, code }: SmsMessage) {
      const phoneNumber = aliyunPhoneNumber(to);
      const params: Record<string, string> = {
        AccessKeyId: accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: phoneNumber,
        RegionId: regionId,
        SignName: signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: nonce(),
        SignatureVersion: '1.0',
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify({ code }),
        Timestamp: now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      const signature = aliyunSignature('GET', params, accessKeySecret);
      const url = `${endpoint}?Signature=${aliyunPercentEncode(signature)}&${canonicalQuery(params)}`;
      const { status, text } = await providerRequest('aliyun', fetch, url, { method: 'GET' }, timeoutMs);

      const body = parseJsonObject(text);
      const providerCode = typeof body?.Code === 'string' ? body.Code : undefined;
      if (status === 200 && providerCode === 'OK') return;
      if (providerCode === undefined) {
        // A 2xx we cannot read may still mean the message went out.
        const kind: SendErrorKind = status >= 500 ? 'retryable' : status < 300 ? 'timeout' : 'rejected';
        throw new SendError(kind, `aliyun: unexpected answer (HTTP ${status})`);
      }
      const message = typeof body?.Message === 'string' ? scrub(body.Message, [accessKeySecret, code, to, phoneNumber]) : '';
      throw new SendError(aliyunErrorKind(providerCode, status), `aliyun: ${providerCode} (HTTP ${status})${message ? ': ' + message : ''}`, { providerCode });
    },
  };
}

/**
 * Aliyun's `percentEncode` (POP `specialUrlEncode`): UTF-8, only `A–Z a–z 0–9 - _ . ~` kept, space
 * as `%20` and `*` as `%2A` — the URLEncoder output with `+`→`%20`, `*`→`%2A`, `%7E`→`~`.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `GET&%2F&` + the percent-encoded canonical query (parameters sorted by name, `Signature` left out). */
export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  return `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonicalQuery(params))}`;
}

/** Base64(HMAC-SHA1(`accessKeySecret + '&'`, StringToSign)), before it is percent-encoded into the URL. */
export function aliyunSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret + '&').update(aliyunStringToSign(method, params), 'utf8').digest('base64');
}

function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] ?? '')}`)
    .join('&');
}

function aliyunPhoneNumber(e164: string): string {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) {
    throw new SendError('invalid_recipient', 'aliyun: the number is not in E.164 form');
  }
  return e164.startsWith('+86') ? e164.slice(3) : e164.slice(1);
}

const KINDS: Record<string, SendErrorKind> = {
  'isv.BUSINESS_LIMIT_CONTROL': 'throttled',
  'isv.DAY_LIMIT_CONTROL': 'throttled',
  'isv.MOBILE_NUMBER_ILLEGAL': 'invalid_recipient',
  'isv.MOBILE_COUNT_OVER_LIMIT': 'invalid_recipient',
  'isp.SYSTEM_ERROR': 'retryable',
  ServiceUnavailable: 'retryable',
  InternalError: 'retryable',
  // The nonce is fresh on every attempt, so a collision is worth one more try.
  SignatureNonceUsed: 'retryable',
  'isv.SMS_SIGNATURE_ILLEGAL': 'config',
  'isv.SMS_SIGN_ILLEGAL': 'config',
  'isv.SMS_TEMPLATE_ILLEGAL': 'config',
  'isv.TEMPLATE_MISSING_PARAMETERS': 'config',
  'isv.AMOUNT_NOT_ENOUGH': 'config',
  'isv.OUT_OF_SERVICE': 'config',
  'isv.PRODUCT_UN_SUBSCRIPT': 'config',
  'isv.PRODUCT_UNSUBSCRIBE': 'config',
  'isv.ACCOUNT_NOT_EXISTS': 'config',
  'isv.ACCOUNT_ABNORMAL': 'config',
  'isv.DENY_IP_RANGE': 'config',
  'isp.RAM_PERMISSION_DENY': 'config',
  SignatureDoesNotMatch: 'config',
  IncompleteSignature: 'config',
  'InvalidTimeStamp.Expired': 'config',
};

function aliyunErrorKind(code: string, status: number): SendErrorKind {
  const kind = KINDS[code];
  if (kind !== undefined) return kind;
  if (code.startsWith('Throttling')) return 'throttled';
  if (code.startsWith('InvalidAccessKeyId') || code.startsWith('Forbidden')) return 'config';
  return status >= 500 ? 'retryable' : 'rejected';
}

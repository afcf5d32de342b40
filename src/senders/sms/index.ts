// The SMS senders: each is a factory returning a plain `{ name, send }` object (see ../types.ts).

export { logSender } from './log.ts';
export type { LogSenderOptions } from './log.ts';
export { webhookSender } from './webhook.ts';
export type { WebhookSenderOptions, WebhookPayload } from './webhook.ts';
export { aliyunSender } from './aliyun.ts';
export type { AliyunSenderOptions } from './aliyun.ts';
export { tencentSender } from './tencent.ts';
export type { TencentSenderOptions } from './tencent.ts';
export { twilioSender } from './twilio.ts';
export type { TwilioSenderOptions } from './twilio.ts';

// Picks and builds the configured senders. The only place that knows which config keys
// belong to which provider.

import type { Config } from '../config.ts';
import { aliyunSender, logSender, tencentSender, twilioSender, webhookSender } from './sms/index.ts';
import { logEmailSender, smtpSender } from './email/index.ts';
import type { EmailSender, SmsSender } from '../core/types.ts';

/** The SMS sender named by `config.smsSender`; `write` is where the log sender prints. */
export function smsSenderFromConfig(config: Config, { write }: { write?: (line: string) => void } = {}): SmsSender {
  switch (config.smsSender) {
    case 'log':
      return logSender({ env: config.nodeEnv, ...(write ? { write } : {}) });
    case 'webhook':
      return webhookSender({ url: config.webhookUrl, secret: config.webhookSecret });
    case 'aliyun':
      return aliyunSender({
        accessKeyId: config.aliyunAccessKeyId,
        accessKeySecret: config.aliyunAccessKeySecret,
        signName: config.aliyunSignName,
        templateCode: config.aliyunTemplateCode,
      });
    case 'tencent':
      return tencentSender({
        secretId: config.tencentSecretId,
        secretKey: config.tencentSecretKey,
        sdkAppId: config.tencentSdkAppId,
        signName: config.tencentSignName,
        templateId: config.tencentTemplateId,
        region: config.tencentRegion,
      });
    case 'twilio':
      return twilioSender({
        accountSid: config.twilioAccountSid,
        authToken: config.twilioAuthToken,
        ...(config.twilioMessagingServiceSid ? { messagingServiceSid: config.twilioMessagingServiceSid } : { from: config.twilioFrom }),
      });
  }
}

/** SMTP when `config.smtpUrl` is set, else the log sender (refused in production by loadConfig). */
export function emailSenderFromConfig(config: Config, { write }: { write?: (line: string) => void } = {}): EmailSender & { close?(): void } {
  if (config.smtpUrl !== '') return smtpSender({ url: config.smtpUrl, from: config.emailFrom, brand: config.brand });
  return logEmailSender({ env: config.nodeEnv, brand: config.brand, ...(write ? { write } : {}) });
}

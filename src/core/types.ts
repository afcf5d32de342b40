// The core's vocabulary, which the doors and plug-ins around it speak too: purposes, locales,
// store layouts, and the sender contract. A sender is a plain object with a `name` and `send()`,
// the way nodemailer treats transports; the core queues messages and decides on retries from the
// SendError kind. Senders implement these types; the core never imports a sender.

/** What a code is for; it picks the message template and keeps each purpose's code apart. */
export const PURPOSES = ['register', 'login', 'reset_password', 'bind_phone', 'custom'] as const;
export type Purpose = (typeof PURPOSES)[number];
export type Locale = 'zh-CN' | 'en';

/** `verifyd`: prefixed keys holding HMACs. `django`: the seed's layout, key = uuid, value = plain text. */
export type Layout = 'verifyd' | 'django';

export interface SmsMessage {
  /** E.164, e.g. `+8613800138000`. */
  to: string;
  /** The plain code; senders must never log it (the `log` sender aside, whose job is to print it). */
  code: string;
  purpose: Purpose;
  /** Lifetime of the code in seconds, for templates that mention it. */
  ttlSeconds: number;
  locale: Locale;
}

export interface SmsSender {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
}

export interface EmailMessage {
  /** Normalised address: local part as given, domain lower-cased. */
  to: string;
  code: string;
  /** Absolute URL of the confirm page, carrying the single-use token. */
  confirmUrl: string;
  purpose: Purpose;
  ttlSeconds: number;
  linkTtlSeconds: number;
  locale: Locale;
}

export interface EmailSender {
  readonly name: string;
  send(message: EmailMessage): Promise<void>;
}

/**
 * What went wrong when a provider refused or failed a send. The kind decides what the core does:
 * `retryable` may be retried (bounded); `timeout` is never retried (the provider may have sent it,
 * and e.g. Aliyun's SendSms is not idempotent); the others are final.
 */
export type SendErrorKind = 'retryable' | 'timeout' | 'throttled' | 'invalid_recipient' | 'rejected' | 'config';

export class SendError extends Error {
  readonly kind: SendErrorKind;
  /** The provider's own error code, when it gave one (e.g. `isv.BUSINESS_LIMIT_CONTROL`). */
  readonly providerCode: string | undefined;

  constructor(kind: SendErrorKind, message: string, { providerCode, cause }: { providerCode?: string; cause?: unknown } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SendError';
    this.kind = kind;
    this.providerCode = providerCode;
  }
}

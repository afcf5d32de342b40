// The public surface of the `verifyd` package, in one list: what an application may import.
// Anything not named here is internal and may change without notice.

// The core: captchas, codes and receipts on a store, with no HTTP in it. Its functions check
// their arguments against the schemas the HTTP API uses and throw VerifyError on bad input.
export { createVerifier } from './core/verifier.ts';
export type { CaptchaSettings, CheckResult, ClientContext, IssuedCaptcha, ReceiptRequest, Verifier, VerifierOptions } from './core/verifier.ts';

// The configuration `verifyd serve` reads; the service itself (createService, on Fastify) is in verifyd/fastify.
export { ConfigError, loadConfig, OPTIONS } from './config.ts';
export type { Config } from './config.ts';

// What every HTTP adapter (verifyd/fastify, /express, /hono, /fetch) takes.
export type { HttpOptions } from './http/api.ts';

// Stores: every one passes the same conformance suite.
export { memoryStore } from './stores/memory.ts';
export type { MemoryStore, MemoryStoreOptions } from './stores/memory.ts';
export { redisStore } from './stores/redis.ts';
export type { RedisStore, RedisStoreOptions } from './stores/redis.ts';
export type { AttemptGrant, CodeKeys, CodeLimits, SendSlot, SendWindow, Store } from './stores/store.ts';

// Senders: plain `{ name, send }` objects.
export { aliyunSender, logSender, tencentSender, twilioSender, webhookSender } from './senders/sms/index.ts';
export type { AliyunSenderOptions, LogSenderOptions, TencentSenderOptions, TwilioSenderOptions, WebhookPayload, WebhookSenderOptions } from './senders/sms/index.ts';
export { logEmailSender, smtpSender } from './senders/email/index.ts';
export type { LogEmailSenderOptions, SmtpSender, SmtpSenderOptions } from './senders/email/index.ts';
export { PURPOSES, SendError } from './core/types.ts';
export type { EmailMessage, EmailSender, Locale, Purpose, SendErrorKind, SmsMessage, SmsSender } from './core/types.ts';

// The trust boundary: back-end keys and receipts.
export { apiKeys } from './core/api-keys.ts';
export type { ApiKey, ApiKeys } from './core/api-keys.ts';
export { receipts } from './core/receipts.ts';
export type { ReceiptChannel, ReceiptClaims, ReceiptError, ReceiptOptions, Receipts, RedeemOptions, Redemption, SigningKey } from './core/receipts.ts';

// Errors: one table of stable codes.
export { ERRORS, isVerifyError, VerifyError } from './errors.ts';
export type { ErrorCode, VerifyErrorDetails } from './errors.ts';

// Captchas as images, for programs that draw their own.
export { renderCaptcha } from './captcha/render.ts';
export type { ImageFormat, RenderOptions } from './captcha/render.ts';
export { CAPTCHA_TYPES } from './captcha/challenge.ts';
export { BUNDLED_FONTS, loadFontDir } from './captcha/font.ts';
export type { CaptchaFont } from './captcha/font.ts';
export { deploymentStyle, styleFromSecret } from './captcha/style.ts';
export type { CaptchaStyle, StyleOptions } from './captcha/style.ts';
export type { CaptchaType } from './captcha/challenge.ts';
// Captchas as spoken digits (WAV), the audio alternative.
export { renderAudioCaptcha } from './captcha/audio/render.ts';
export type { AudioRenderOptions } from './captcha/audio/render.ts';
export type { AudioLanguage } from './captcha/audio/voices.ts';

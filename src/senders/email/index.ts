// The email senders: `smtpSender` for real mail, `logEmailSender` for development.

export { smtpSender } from './smtp.ts';
export type { SmtpSender, SmtpSenderOptions } from './smtp.ts';
export { logEmailSender } from './log.ts';
export type { LogEmailSenderOptions } from './log.ts';
export { classifySmtpError } from './smtp-errors.ts';
export type { SmtpFailure } from './smtp-errors.ts';

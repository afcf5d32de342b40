// Turns a nodemailer SMTP failure into a SendError: the kind decides whether the core retries,
// and the message keeps what helps an operator while masking addresses (never the code).

import { maskEmail } from '../../core/email/address.ts';
import { SendError, type SendErrorKind } from '../../core/types.ts';

/** The fields of a nodemailer error this mapping reads (all optional: anything may be thrown). */
export interface SmtpFailure {
  code?: string | undefined;
  /** e.g. ECONNREFUSED under code ESOCKET. */
  originalCode?: string | undefined;
  responseCode?: number | undefined;
  response?: string | undefined;
  /** The SMTP command in flight: 'MAIL FROM', 'RCPT TO', 'DATA', 'AUTH …', 'CONN', 'API'. */
  command?: string | undefined;
  timeoutType?: string | undefined;
  message?: string | undefined;
}

const AUTH_REPLIES = new Set([530, 534, 535, 538]);
const BAD_MAILBOX_REPLIES = new Set([550, 551, 553]);
const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS', 'ERR_ACCESS_DENIED']);

/**
 * The kind for an SMTP failure:
 * - a 4xx reply, and 503 (bad sequence: fine on a new connection) → `retryable`;
 * - 530/534/535/538 (authentication) → `config`;
 * - 550/551/553 → `invalid_recipient` for the recipient, `config` when the server refuses our
 *   sender (MAIL FROM), `rejected` after DATA or with an enhanced status 5.7.x (policy, e.g. spam);
 * - 552, 554 and any other 5xx → `rejected`;
 * - timeouts while connecting, waiting for the greeting or upgrading to TLS → `retryable` (nothing
 *   was sent yet); an idle-socket timeout → `timeout`, since it may have struck after DATA, when
 *   the server may already have accepted the message;
 * - no reply: refused, reset or unresolvable connections → `retryable`; authentication, TLS and
 *   configuration errors → `config`; anything unknown → `retryable` (the core's retries are bounded).
 */
export function classifySmtpError(err: SmtpFailure): SendErrorKind {
  const reply = err.responseCode;
  const command = (err.command ?? '').toUpperCase();
  if (reply !== undefined && reply >= 400 && reply < 600) {
    if (reply < 500 || reply === 503) return 'retryable';
    if (AUTH_REPLIES.has(reply) || command.startsWith('AUTH')) return 'config';
    if (BAD_MAILBOX_REPLIES.has(reply)) {
      if (command === 'MAIL FROM') return 'config';
      if (command === 'DATA' || /^5\.7\.\d{1,3}\b/.test(enhancedStatus(err.response))) return 'rejected';
      return 'invalid_recipient';
    }
    return 'rejected';
  }
  if (err.code === 'ETIMEDOUT') {
    return err.timeoutType === 'SOCKET_TIMEOUT' || err.timeoutType === undefined ? 'timeout' : 'retryable';
  }
  if (err.code !== undefined && CONFIG_CODES.has(err.code)) return 'config';
  if (err.code === 'EENVELOPE') return 'invalid_recipient';
  if (err.code === 'EMESSAGE') return 'rejected';
  return 'retryable';
}

/**
 * Wraps a nodemailer failure in a SendError. The original error is not attached as the cause:
 * its message and the server's reply often carry the full address, which must not reach logs.
 */
export function toSendError(err: unknown, recipient: string): SendError {
  const failure: SmtpFailure = typeof err === 'object' && err !== null ? (err as SmtpFailure) : { message: String(err) };
  const kind = classifySmtpError(failure);
  const providerCode = failure.responseCode === undefined ? (failure.originalCode ?? failure.code) : String(failure.responseCode);
  const detail = failure.message ?? failure.response ?? 'unknown error';
  const step = failure.command !== undefined && failure.command !== 'CONN' && failure.command !== 'API' ? ` at ${failure.command}` : '';
  const where = failure.code === 'ETIMEDOUT' && failure.timeoutType !== undefined ? ` (${failure.timeoutType})` : '';
  const message = `SMTP send to ${maskEmail(recipient)} failed${step}${where}: ${maskAddresses(detail)}`;
  return new SendError(kind, message, providerCode === undefined ? {} : { providerCode });
}

function enhancedStatus(response: string | undefined): string {
  return /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1] ?? '';
}

// Anything that looks like an address, bracketed or not, in a server reply or error message.
function maskAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:]+/g, (address) => maskEmail(address));
}

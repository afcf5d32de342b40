// The production email sender: renders the verification mail and hands it to an SMTP server
// through nodemailer, turning every failure into a SendError the core can act on.

import { createRequire } from 'node:module';
import { normaliseEmail, maskEmail } from '../../core/email/address.ts';
import { renderEmail, type RenderedEmail } from '../../pages/templates.ts';
import { SendError, type EmailSender } from '../../core/types.ts';
import { toSendError } from './smtp-errors.ts';

// nodemailer is required by the first SMTP sender, not at import: the default email sender
// (log) never needs it, and it costs a few MB of RSS.
let nodemailer: typeof import('nodemailer') | undefined;
const loadNodemailer = () => (nodemailer ??= createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer'));

export interface SmtpSenderOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`; query
   * parameters become nodemailer options, e.g. `?pool=true` or `?tls.rejectUnauthorized=false`.
   */
  url: string;
  /** The From header, e.g. `verifyd <no-reply@example.com>`. */
  from: string;
  /** The product name in the subject and the mail. */
  brand?: string;
  /** Limit, in ms, for connecting, for the greeting and for every wait on the server. */
  timeoutMs?: number;
}

export interface SmtpSender extends EmailSender {
  /** For shutdown: closes the pooled connections of a `?pool=true` URL (without a pool there are none). */
  close(): void;
}

/**
 * An EmailSender over SMTP. send() resolves once the server accepted the message and otherwise
 * throws a SendError (see classifySmtpError for the kinds). Nothing is logged: errors carry the
 * masked address and never the code. Throws a SendError of kind `config` for a URL that is not
 * smtp:// or smtps://, an empty `from`, or a bad `timeoutMs`.
 */
export function smtpSender({ url, from, brand = 'verifyd', timeoutMs = 10_000 }: SmtpSenderOptions): SmtpSender {
  if (!/^smtps?:\/\//i.test(url) || !URL.canParse(url)) throw new SendError('config', 'smtpSender: url must be smtp:// or smtps://');
  if (from.trim() === '') throw new SendError('config', 'smtpSender: from is required');
  if (!(timeoutMs > 0)) throw new SendError('config', 'smtpSender: timeoutMs must be a positive number of ms');

  const transporter = loadNodemailer().createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // a little longer than the greeting timeout, so that a server that never greets is reported
    // as GREETING_TIMEOUT (nothing sent: retryable) rather than as an idle socket (timeout)
    socketTimeout: timeoutMs + 100,
    dnsTimeout: timeoutMs,
    logger: false,
    debug: false,
    // the mail is built from our own strings only; nodemailer must never read files or URLs for it
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    name: 'smtp',
    async send(message) {
      const to = normaliseEmail(message.to);
      if (to === null) throw new SendError('invalid_recipient', `not a valid email address: ${maskEmail(message.to)}`);
      let rendered: RenderedEmail;
      try {
        rendered = renderEmail(message, { brand });
      } catch (err) {
        throw new SendError('config', `SMTP send to ${maskEmail(to)} not attempted: ${(err as Error).message}`);
      }
      const mail = {
        from,
        to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        // RFC 3834: out-of-office robots must not answer a machine-sent mail
        headers: { 'Auto-Submitted': 'auto-generated' },
      };
      // One attempt: the core's delivery queue retries `retryable` failures itself.
      try {
        await transporter.sendMail(mail);
      } catch (err) {
        throw toSendError(err, to);
      }
    },
    close() {
      transporter.close();
    },
  };
}

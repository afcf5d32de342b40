// The development email sender: prints the recipient, subject, code and confirm link instead of
// sending anything, so a developer can sign up without a mail server. Refuses production.

import { isProduction } from '../../service/node-env.ts';
import { renderEmail } from '../../pages/templates.ts';
import { SendError, type EmailSender } from '../../core/types.ts';

export interface LogEmailSenderOptions {
  /** Where each line goes. */
  write?: (line: string) => void;
  /** The environment name; production in any spelling (`Production`, `prod`) makes the factory throw. */
  env?: string | undefined;
  /** The product name in the subject. */
  brand?: string;
}

/**
 * An EmailSender that writes one line per message: `to`, `subject`, `code` and `link`, in full,
 * because printing them is its whole job. Throws a SendError of kind `config` when
 * `env === 'production'`, so a forgotten development setting can never leak codes to a log.
 */
export function logEmailSender({
  write = (line) => process.stdout.write(line + '\n'),
  env = process.env.NODE_ENV,
  brand = 'verifyd',
}: LogEmailSenderOptions = {}): EmailSender {
  if (isProduction(env)) {
    throw new SendError('config', 'the log email sender prints codes and is refused when NODE_ENV=production; configure SMTP');
  }
  return {
    name: 'log',
    async send(message) {
      const { subject } = renderEmail(message, { brand });
      write(
        `[email] to=${message.to} purpose=${message.purpose} subject=${JSON.stringify(subject)} ` +
          `code=${message.code} link=${message.confirmUrl}`,
      );
    },
  };
}

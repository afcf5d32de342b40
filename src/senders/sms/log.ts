// The development sender: prints each message, code included, instead of sending it. Printing
// the code is its whole job, so it refuses to exist in production.

import { isProduction } from '../../service/node-env.ts';
import type { SmsMessage, SmsSender } from '../../core/types.ts';
import { maskPhone } from './redact.ts';

export interface LogSenderOptions {
  /** Where each line goes. Default: standard output. */
  write?: (line: string) => void;
  /** The environment name; production in any spelling (`Production`, `prod`) makes the factory throw. Default: `process.env.NODE_ENV`. */
  env?: string | undefined;
}

/**
 * A sender that prints one line per message: the masked number, purpose, locale, lifetime and
 * the plain code. Throws when `env` is `'production'`, so a misconfigured server fails at start-up
 * instead of writing every code into its logs.
 */
export function logSender({ write = (line) => process.stdout.write(line + '\n'), env = process.env.NODE_ENV }: LogSenderOptions = {}): SmsSender {
  if (isProduction(env)) {
    throw new Error('the log sender prints codes and is refused in production; configure a real SMS sender');
  }
  return {
    name: 'log',
    async send({ to, code, purpose, locale, ttlSeconds }: SmsMessage) {
      write(`[sms:log] to ${maskPhone(to)} purpose=${purpose} locale=${locale} code=${code} (expires in ${ttlSeconds} s)`);
    },
  };
}

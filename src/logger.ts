// The process logger: pino with secrets redacted, and requests logged without query strings
// (the seed's uuid travels there).

import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

/** Paths pino blanks out wherever they occur in a log record. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'secret',
  '*.secret',
  'code',
  '*.code',
  'answer',
  '*.answer',
  'token',
  '*.token',
];

export function createLogger({ level = 'info', destination }: { level?: LogLevel; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      },
    },
    destination,
  );
}

// The process logger: pino with secrets redacted, and requests logged without query strings
// (the seed's uuid travels there).

import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config.ts';
import { prettyDestination } from './log-pretty.ts';

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
  'receipt',
  '*.receipt',
  'response',
  '*.response',
  'apiKeys',
  '*.apiKeys',
];

/**
 * The process logger: JSON lines to `destination` (default: standard output), or, with `pretty`,
 * readable lines for a terminal (see log-pretty.ts).
 */
export function createLogger({
  level = 'info',
  destination,
  pretty = false,
}: { level?: LogLevel; destination?: pino.DestinationStream; pretty?: boolean } = {}): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      },
    },
    destination ?? (pretty ? prettyDestination() : undefined),
  );
}

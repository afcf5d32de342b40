// Readable log lines for a developer's terminal: `12:04:31 INFO  verifyd listening on … store=memory`
// instead of pino's JSON. Only `verifyd serve` on a TTY outside production uses it; pipes, files
// and production get JSON, which log collectors parse. (pino-pretty does this and more, but pulls
// in a dozen packages for what these few lines do.)

import type { DestinationStream } from 'pino';

const LEVELS: Record<number, [name: string, colour: number]> = {
  10: ['TRACE', 90],
  20: ['DEBUG', 36],
  30: ['INFO ', 32],
  40: ['WARN ', 33],
  50: ['ERROR', 31],
  60: ['FATAL', 35],
};
/** Fields every record has, shown in their own way or not at all. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** One pino JSON record as a line: time, level, message, then key=value for the other fields. */
export function prettyLine(json: string, { colour = false }: { colour?: boolean } = {}): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const [name, code] = LEVELS[record.level as number] ?? [String(record.level), 0];
  const time = new Date(record.time as number).toTimeString().slice(0, 8);
  const fields = Object.entries(record)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${field(value)}`);
  const level = colour ? `\x1b[${code}m${name}\x1b[0m` : name;
  return [time, level, record.msg ?? '', ...fields].join(' ').trimEnd();
}

function field(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value !== null && typeof value === 'object' && 'message' in value) return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value);
}

/** A pino destination that writes each record to `out` as a pretty line, in colour. */
export function prettyDestination(out: NodeJS.WritableStream = process.stdout): DestinationStream {
  return { write: (json: string) => void out.write(`${prettyLine(json, { colour: true })}\n`) };
}

// Keeps a repeating warning from flooding the log: during a Redis outage every request fails the
// same way, and one line per request (800 a second, each with a stack) buries everything else.
// The first occurrence of a cause is logged at once; later ones within the interval are counted
// and logged as one line with their count when it ends.

export interface LogThrottleOptions {
  /** Milliseconds a cause's later occurrences are gathered into one line. */
  intervalMs?: number;
  /** Causes tracked at once; beyond, occurrences share the cause "other". */
  maxCauses?: number;
}

/** Writes one line standing for `count` occurrences of a cause. */
export type LogLine = (count: number) => void;

export interface LogThrottle {
  /**
   * One occurrence of `cause`. Its first in an interval is written at once with `line(1)`; the
   * others are counted and written as `line(count)` (the last `line` given) when the interval
   * ends, which starts the next one. A cause quiet for a whole interval starts afresh.
   */
  note(cause: string, line: LogLine): void;
  /** Writes the counts gathered so far (at shutdown). */
  flush(): void;
}

interface Pending {
  count: number;
  line: LogLine;
  timer: NodeJS.Timeout;
}

export function logThrottle({ intervalMs = 10_000, maxCauses = 100 }: LogThrottleOptions = {}): LogThrottle {
  const pending = new Map<string, Pending>();

  const endInterval = (cause: string, entry: Pending) => {
    if (entry.count === 0) {
      pending.delete(cause);
      return;
    }
    entry.line(entry.count);
    entry.count = 0;
    entry.timer = setTimeout(() => endInterval(cause, entry), intervalMs).unref();
  };

  return {
    note(cause, line) {
      const key = pending.has(cause) || pending.size < maxCauses ? cause : 'other';
      const entry = pending.get(key);
      if (entry) {
        entry.count++;
        entry.line = line;
        return;
      }
      line(1);
      const fresh: Pending = { count: 0, line, timer: setTimeout(() => endInterval(key, fresh), intervalMs).unref() };
      pending.set(key, fresh);
    },
    flush() {
      for (const [cause, entry] of pending) {
        clearTimeout(entry.timer);
        if (entry.count > 0) entry.line(entry.count);
        pending.delete(cause);
      }
    },
  };
}

// Sends messages after the HTTP response, so neither the response nor its timing depends on
// the provider. Retries only failures the sender marks `retryable`, a bounded number of times;
// never a timeout, which may already have been delivered.

import { VerifyError } from '../errors.ts';
import { SendError } from './types.ts';

export type DeliveryOutcome = 'sent' | 'failed';

export interface DeliveryQueueOptions<M> {
  send: (message: M) => Promise<void>;
  /** Extra attempts after a retryable failure. */
  retries?: number;
  /** Delay before the first retry; doubles for each further one. */
  backoffMs?: number;
  /** Messages in flight at once. */
  concurrency?: number;
  /** Messages waiting at most; past it `push` throws SEND_QUEUE_FULL. */
  maxQueued?: number;
  /** Told of each final outcome (after retries), for logs, metrics and provider feedback. */
  onOutcome?: (message: M, outcome: DeliveryOutcome, error?: SendError) => void;
}

export interface DeliveryQueue<M> {
  /** Queues `message`; throws SEND_QUEUE_FULL when the queue is full. Never waits for the send. */
  push(message: M): void;
  /** Resolves when everything queued so far has been attempted (or after `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
}

export function deliveryQueue<M>({
  send,
  retries = 2,
  backoffMs = 500,
  concurrency = 8,
  maxQueued = 10_000,
  onOutcome,
}: DeliveryQueueOptions<M>): DeliveryQueue<M> {
  const waiting: M[] = [];
  let active = 0;
  let idle: (() => void)[] = [];

  const attempt = async (message: M): Promise<void> => {
    for (let n = 0; ; n++) {
      try {
        await send(message);
        onOutcome?.(message, 'sent');
        return;
      } catch (err) {
        const error = err instanceof SendError ? err : new SendError('rejected', err instanceof Error ? err.message : String(err));
        if (error.kind !== 'retryable' || n >= retries) {
          onOutcome?.(message, 'failed', error);
          return;
        }
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** n).unref());
      }
    }
  };

  const pump = () => {
    while (active < concurrency && waiting.length > 0) {
      const message = waiting.shift()!;
      active++;
      void attempt(message).finally(() => {
        active--;
        pump();
        if (active === 0 && waiting.length === 0) {
          for (const resolve of idle) resolve();
          idle = [];
        }
      });
    }
  };

  return {
    push(message) {
      if (waiting.length >= maxQueued) throw new VerifyError('SEND_QUEUE_FULL');
      waiting.push(message);
      // After the current tick, so the HTTP response is written before the send starts.
      setImmediate(pump);
    },
    drain(timeoutMs = 10_000) {
      if (active === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

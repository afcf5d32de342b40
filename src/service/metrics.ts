// Prometheus metrics (prom-client) on a registry of their own per service, so two services in one
// process never collide. On the request path everything is a counter increment or one histogram
// observation; gauges are read only when /metrics is scraped.

import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isVerifyError } from '../errors.ts';
import type { DeliveryOutcome } from '../core/delivery-queue.ts';
import type { SendErrorKind } from '../core/types.ts';
import type { Store } from '../stores/store.ts';

/** `missing`: unknown, expired or already checked — the client sees `{valid:false}` as for `wrong`. */
export type CaptchaCheckResult = 'valid' | 'wrong' | 'missing';
export type Channel = 'sms' | 'email';

export interface MetricsOptions {
  /** Also collect the process's own metrics (CPU, RSS, event-loop lag, GC): once per process. */
  processMetrics?: boolean;
  /** Buckets of the request latency histogram, in seconds. */
  latencyBuckets?: number[];
  /**
   * This process is one of `verifyd serve --workers N`: a scrape, whichever worker answers it,
   * returns the sum over all workers, gathered by the primary (see serveClusterMetrics).
   */
  clusterWorker?: boolean;
}

export interface Metrics {
  readonly contentType: string;
  /** The exposition text for a scrape. */
  render(): Promise<string>;
  captchaIssued(): void;
  captchaChecked(result: CaptchaCheckResult): void;
  /** A code's delivery reached its final outcome: `sent`, or the failure's kind. */
  codeDelivered(channel: Channel, result: DeliveryOutcome | SendErrorKind): void;
  /** A request was refused by a limit (a 429 with this error code). */
  limitHit(code: string): void;
  storeError(operation: string): void;
  /** Entries the memory store dropped to stay within its bound. */
  evicted(count: number): void;
  /** Reads the memory store's entry count at each scrape. */
  watchStoreSize(read: () => number): void;
  /** One answered HTTP request; `route` is the route pattern, never the raw URL. */
  requestDone(method: string, route: string, status: number, seconds: number): void;
}

export const DEFAULT_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics({ processMetrics = false, latencyBuckets = DEFAULT_LATENCY_BUCKETS, clusterWorker = false }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  if (clusterWorker) {
    // Answer the primary's collection rounds with this registry.
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }
  const registers = [registry];

  const issued = new Counter({ name: 'verifyd_captchas_issued_total', help: 'Captchas issued.', registers });
  const checked = new Counter({ name: 'verifyd_captchas_checked_total', help: 'Captcha checks, by result (valid, wrong, missing = unknown, expired or used).', labelNames: ['result'], registers });
  const delivered = new Counter({ name: 'verifyd_codes_sent_total', help: 'Codes handed to a sender, by channel and final result (sent, or the failure kind).', labelNames: ['channel', 'result'], registers });
  const limits = new Counter({ name: 'verifyd_limits_hit_total', help: 'Requests refused by a rate or send limit, by error code.', labelNames: ['code'], registers });
  const storeErrors = new Counter({ name: 'verifyd_store_errors_total', help: 'Store operations that failed (answered 503 STORE_UNAVAILABLE), by operation.', labelNames: ['operation'], registers });
  const evictions = new Counter({ name: 'verifyd_memory_store_evictions_total', help: 'Captchas the memory store dropped, oldest first, to stay within --memory-max-captchas (security state is never dropped).', registers });
  const latency = new Histogram({
    name: 'verifyd_http_request_duration_seconds',
    help: 'Time from request to response, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: latencyBuckets,
    registers,
  });
  // Pre-create the known results so dashboards see zeros rather than gaps.
  for (const result of ['valid', 'wrong', 'missing']) checked.inc({ result }, 0);
  evictions.inc(0);

  return {
    get contentType() {
      return registry.contentType;
    },
    render: () => (clusterWorker ? askPrimary() : registry.metrics()),
    captchaIssued: () => issued.inc(),
    captchaChecked: (result) => checked.inc({ result }),
    codeDelivered: (channel, result) => delivered.inc({ channel, result }),
    limitHit: (code) => limits.inc({ code }),
    storeError: (operation) => storeErrors.inc({ operation }),
    evicted: (count) => evictions.inc(count),
    watchStoreSize(read) {
      new Gauge({
        name: 'verifyd_memory_store_entries',
        help: 'Entries in the memory store (live and not yet swept).',
        registers,
        collect() {
          this.set(read());
        },
      });
    },
    requestDone: (method, route, status, seconds) => latency.observe({ method, route, status_code: status }, seconds),
  };
}

type StoreOperation = Exclude<keyof Store, 'name' | 'close'>;

/**
 * The same Store, counting each operation that rejects with STORE_UNAVAILABLE. Successful calls
 * cost one extra promise reaction.
 */
export function countStoreErrors(store: Store, metrics: Pick<Metrics, 'storeError'>): Store {
  const counted = <K extends StoreOperation>(operation: K): Store[K] =>
    ((...args: unknown[]) =>
      (store[operation] as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
        if (isVerifyError(err) && err.code === 'STORE_UNAVAILABLE') metrics.storeError(operation);
        throw err;
      })) as Store[K];
  return {
    name: store.name,
    set: counted('set'),
    putCaptcha: counted('putCaptcha'),
    setIfAbsent: counted('setIfAbsent'),
    get: counted('get'),
    take: counted('take'),
    deleteIfEquals: counted('deleteIfEquals'),
    delete: counted('delete'),
    increment: counted('increment'),
    spendCodeAttempt: counted('spendCodeAttempt'),
    consumeCode: counted('consumeCode'),
    takeSendSlot: counted('takeSendSlot'),
    redeemOnce: counted('redeemOnce'),
    ping: counted('ping'),
    close: () => store.close(),
  };
}

const REQUEST = 'verifyd:metrics-request';
const ANSWER = 'verifyd:metrics-answer';
let nextRequest = 0;

/** A worker's scrape: the primary gathers every worker's metrics and sends back the sum. */
function askPrimary(): Promise<string> {
  const id = ++nextRequest;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the primary did not answer with the metrics')), 6000);
    const onMessage = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type === ANSWER && message.id === id) finish(message.error === undefined ? null : new Error(message.error), message.text);
    };
    const finish = (err: Error | null, text = '') => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (err) reject(err);
      else resolve(text);
    };
    process.on('message', onMessage);
    process.send!({ type: REQUEST, id });
  });
}

/**
 * In the primary of `verifyd serve --workers N`: answers each worker's scrape with the metrics
 * of all workers added up (counters and histograms summed; prom-client's own rule per process
 * metric).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (err: Error) => worker.send({ type: ANSWER, id: message.id, error: err.message }),
    );
  });
}

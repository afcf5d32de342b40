// The request mix of `npm run load` and `npm run chaos`: autocannon at a fixed rate against one
// verifyd process on Redis, through captcha issue and check (native and seed endpoints), SMS send
// and check, and the health endpoints. verifyd runs in the django layout so that this script can
// read captcha answers from Redis as a Django back end would, and solve them.

import { randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

// The part of autocannon's API used here (the package ships no types).
interface Request {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
}
interface Result {
  latency: { p50: number; p90: number; p99: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; overallRate: number; timeout: number; requests: Request[] },
  done: (err: Error | null, result: Result) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** One request of the cycle every connection repeats, with the statuses it may answer. */
interface Step {
  name: string;
  expect: number[];
  request: Request;
}

export interface Outcome {
  /** ms since the run started */
  at: number;
  step: string;
  status: number;
  /** The error code of an error body. */
  code?: string;
  expected: boolean;
}

export interface MixOptions {
  url: string;
  /** Requests per second, all connections together. */
  rate: number;
  /** Seconds. */
  duration: number;
  connections: number;
  /** A client on the database verifyd writes captchas to. */
  redis: Redis;
  /** Numbers configured with --sms-test-numbers, one per connection, all with code TEST_CODE. */
  testNumbers: string[];
  /** Called with ms since start every second, e.g. to break Redis at a chosen moment. */
  onTick?: (elapsedMs: number) => void;
}

export interface MixReport {
  result: Result;
  outcomes: Outcome[];
  startedAt: number;
  /** Seed captchas solved correctly on the first try (a health check of the mix itself). */
  validCaptchaChecks: number;
}

export const TEST_CODE = '246810';

/** verifyd's arguments for a load target on `redisUrl`: no per-IP limits (all load comes from one address). */
export function targetArgs(redisUrl: string, testNumbers: string[]): string[] {
  return [
    '--redis-url', redisUrl, '--layout', 'django', '--secret', 'bench-secret-0123456789abcdef0123456789',
    '--captcha-rate-limit', '0', '--check-rate-limit', '0', '--sms-check-rate-limit', '0',
    '--sms-test-numbers', testNumbers.map((n) => `${n}:${TEST_CODE}`).join(','),
    '--log-level', 'warn',
  ];
}

export function testNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `+861390000${String(10_000 + i).slice(1)}`);
}

/**
 * Runs the mix and resolves with autocannon's result and every response's outcome. Solved
 * captchas come from a pool: the mix's own seed captchas, whose answers a background loop reads
 * from Redis; when the pool is empty a send becomes a /healthz.
 */
export async function runMix({ url, rate, duration, connections, redis, testNumbers: numbers, onTick }: MixOptions): Promise<MixReport> {
  const pending: string[] = [];
  const pool: { id: string; answer: string }[] = [];
  const outcomes: Outcome[] = [];
  let validCaptchaChecks = 0;
  let nextNumber = 0;
  const startedAt = Date.now();

  let refilling = true;
  const refill = (async () => {
    while (refilling) {
      const ids = pending.splice(0, 500);
      if (ids.length > 0) {
        try {
          const answers = await redis.mget(ids);
          ids.forEach((id, i) => answers[i] && pool.push({ id, answer: answers[i]! }));
        } catch {
          pending.unshift(...ids); // Redis is down (chaos): try again shortly.
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const record = (step: Step) => (status: number, body: string) => {
    let code: string | undefined;
    if (status >= 400) code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
    outcomes.push({ at: Date.now() - startedAt, step: step.name, status, ...(code ? { code } : {}), expected: step.expect.includes(status) });
  };
  const json = (method: string, path: string, body: unknown): Request => ({ method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const seedIssue = (name: string): Step => ({
    name,
    expect: [200],
    request: {
      method: 'GET',
      setupRequest: (req, context) => {
        context.uuid = randomUUID();
        return { ...req, path: `/verify/image_codes/?uuid=${context.uuid as string}` };
      },
      onResponse: (status, _body, context) => {
        if (status === 200) pending.push(context.uuid as string);
      },
    },
  });

  const steps: Step[] = [
    {
      name: 'POST /v1/captchas',
      expect: [201],
      request: {
        ...json('POST', '/v1/captchas', {}),
        onResponse: (status, body, context) => {
          context.id = status === 201 ? (JSON.parse(body) as { id: string }).id : randomUUID();
        },
      },
    },
    {
      name: 'POST /v1/captchas/:id/check (wrong answer)',
      expect: [200],
      request: { ...json('POST', '/', { answer: 'ZZZZ' }), setupRequest: (req, context) => ({ ...req, path: `/v1/captchas/${context.id as string}/check` }) },
    },
    seedIssue('GET /verify/image_codes/ (a)'),
    seedIssue('GET /verify/image_codes/ (b)'),
    {
      name: 'POST /verify/image_codes/check (solved if one is ready)',
      expect: [200],
      request: {
        ...json('POST', '/verify/image_codes/check', {}),
        setupRequest: (req) => {
          const solved = pool.shift();
          return { ...req, body: JSON.stringify(solved ? { uuid: solved.id, code: solved.answer } : { uuid: randomUUID(), code: 'ZZZZ' }) };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('true')) validCaptchaChecks++;
        },
      },
    },
    {
      name: 'POST /v1/sms/send (200: no solved captcha yet, sent /healthz)',
      expect: [202, 200],
      request: {
        ...json('POST', '/v1/sms/send', {}),
        setupRequest: (req, context) => {
          context.phone ??= numbers[nextNumber++ % numbers.length];
          const solved = pool.shift();
          if (!solved) return { ...req, method: 'GET', path: '/healthz', headers: {}, body: '' };
          return { ...req, body: JSON.stringify({ phone: context.phone, purpose: 'login', captcha: { uuid: solved.id, answer: solved.answer } }) };
        },
      },
    },
    {
      name: 'POST /v1/sms/check (right code)',
      expect: [200],
      request: { ...json('POST', '/v1/sms/check', {}), setupRequest: (req, context) => ({ ...req, body: JSON.stringify({ phone: context.phone ?? numbers[0], purpose: 'login', code: TEST_CODE }) }) },
    },
    {
      name: 'POST /v1/sms/check (unknown number)',
      expect: [200],
      request: {
        ...json('POST', '/v1/sms/check', {}),
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ phone: `139${String(randomInt(0, 1e8)).padStart(8, '0')}`, purpose: 'register', code: '000000' }) }),
      },
    },
    { name: 'GET /readyz', expect: [200], request: { method: 'GET', path: '/readyz' } },
    { name: 'GET /healthz', expect: [200], request: { method: 'GET', path: '/healthz' } },
  ];

  const requests = steps.map((step) => {
    const onResponse = step.request.onResponse;
    const log = record(step);
    return {
      ...step.request,
      onResponse: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => {
        log(status, body);
        onResponse?.(status, body, context, headers);
      },
    };
  });

  const ticker = setInterval(() => onTick?.(Date.now() - startedAt), 250);
  try {
    const result = await new Promise<Result>((resolve, reject) => {
      autocannon({ url, connections, duration, overallRate: rate, timeout: 10, requests }, (err, res) => (err ? reject(err) : resolve(res)));
    });
    return { result, outcomes, startedAt, validCaptchaChecks };
  } finally {
    clearInterval(ticker);
    refilling = false;
    await refill;
  }
}

/** Prints autocannon's figures and the outcome of each step. */
export function printReport({ result, outcomes, validCaptchaChecks }: MixReport, { rate, duration, connections }: Pick<MixOptions, 'rate' | 'duration' | 'connections'>): void {
  const answered = outcomes.length;
  const { latency } = result;
  console.log(`target rate      ${rate} req/s for ${duration} s over ${connections} connections`);
  console.log(`answered         ${answered} responses, ${(answered / result.duration).toFixed(1)} req/s`);
  console.log(`latency          p50 ${latency.p50} ms, p90 ${latency.p90} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);
  console.log(`transport        ${result.errors} errors, ${result.timeouts} timeouts`);
  const byStep = new Map<string, Map<string, number>>();
  for (const o of outcomes) {
    const counts = byStep.get(o.step) ?? new Map<string, number>();
    const key = `${o.status}${o.code ? ` ${o.code}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    byStep.set(o.step, counts);
  }
  for (const [step, counts] of byStep) {
    console.log(`  ${step.padEnd(62)} ${[...counts].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  }
  console.log(`solved checks    ${validCaptchaChecks} seed captchas answered correctly (pool working)`);
}

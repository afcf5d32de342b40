// Proof of work, per difficulty level (the defaults of --pow-levels and --pow-device-rate):
//   solve time of the real ALTCHA widget in headless Chromium (median and p90), served by verifyd
//   under its CSP, with the widget's default workers (one per core here);
//   native solver rate in Node (crypto.pbkdf2Sync on one core): derivations per second, and the
//   solves per second they buy at the level's mean counter;
//   the server's cost: verifying a payload (parse + two HMACs + one store step on the memory store +
//   signing the receipt) in µs and verifies per second on one core, the check alone, and issuing a
//   challenge (one PBKDF2 at the cost). Verifying does not depend on the level.
// `node --import tsx bench/pow.ts [--quick]` runs it alone; bench/bench.ts runs it as part (d).

import { pbkdf2Sync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createService } from '../src/service/app.ts';
import { loadConfig, OPTIONS } from '../src/config.ts';
import { proofOfWork } from '../src/core/pow/proof-of-work.ts';
import type { ChallengeV2 } from '../src/core/pow/altcha-wire.ts';
import { memoryStore } from '../src/stores/memory.ts';
import { receipts } from '../src/core/receipts.ts';
import { solveV2 } from '../test/helpers/pow-solver.ts';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export interface PowLevelFigures {
  level: number;
  targetSeconds: number;
  /** The secret counter's mean: derivations a solver needs on average. */
  meanCounter: number;
  chromium: { samples: number; medianMs: number; p90Ms: number } | null;
  native: { derivationsPerSecond: number; solvesPerSecond: number };
  verify: { usPerCheck: number; usPerVerify: number; verifiesPerSecond: number };
}

export interface PowFigures {
  cost: number;
  deviceRate: number;
  issue: { usPerChallenge: number; challengesPerSecond: number };
  levels: PowLevelFigures[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** Solves `samples` challenges of the one level `seconds` in Chromium with the widget; wall time of each `verify()`. */
async function chromiumSolves(seconds: number, samples: number, log: (line: string) => void): Promise<number[]> {
  const service = await createService(loadConfig({ VERIFYD_SECRET: SECRET, VERIFYD_POW_LEVELS: String(seconds), VERIFYD_POW_IP_STEPS: '0', VERIFYD_POW_SITE_STEPS: '0', VERIFYD_LOG_LEVEL: 'silent', VERIFYD_API_KEYS: `bench:${SECRET}` }));
  const base = await service.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/pow`);
    await page.waitForFunction(() => typeof (document.getElementById('pow-widget') as { verify?: unknown } | null)?.verify === 'function');
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      times.push(
        await page.evaluate(async () => {
          const widget = document.getElementById('pow-widget') as unknown as { configure(c: object): Promise<void>; verify(): Promise<{ payload?: string } | null> };
          await widget.configure({ minDuration: 0 });
          const t0 = performance.now();
          const result = await widget.verify();
          if (!result?.payload) throw new Error('the widget found no solution');
          return performance.now() - t0;
        }),
      );
    }
    log(`chromium ${seconds} s level: ${times.map((t) => Math.round(t)).join(' ')} ms`);
    return times.sort((a, b) => a - b);
  } finally {
    await browser.close();
    await service.close();
  }
}

/** Derivations per second of `cost` PBKDF2-SHA256 iterations on this thread. */
function nativeRate(cost: number, ms: number): number {
  const password = Buffer.alloc(20, 1);
  const salt = Buffer.alloc(16, 2);
  for (let i = 0; i < 20; i++) pbkdf2Sync(password, salt, cost, 32, 'sha256');
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    password.writeUInt32BE(n++, 16);
    pbkdf2Sync(password, salt, cost, 32, 'sha256');
  }
  return n / ((performance.now() - start) / 1000);
}

export async function powBench({ quick = false, log = (_: string) => {} }: { quick?: boolean; log?: (line: string) => void } = {}): Promise<PowFigures> {
  const levels = OPTIONS.powLevels.default;
  const deviceRate = OPTIONS.powDeviceRate.default;
  const store = memoryStore();
  const secret = Buffer.from(SECRET);
  const signed = receipts({ store, keys: [{ id: 'b', secret }], secret });
  const pow = proofOfWork({ store, secret, receipts: signed, levels, deviceRate, difficulty: { ipSteps: [0], siteSteps: [0], rangeSteps: [0] } });
  const cost = 1000;

  // Issuing: one PBKDF2 derivation at the cost, on libuv's pool.
  const issueCount = quick ? 200 : 1000;
  let t0 = performance.now();
  for (let i = 0; i < issueCount; i++) await pow.challenge({ action: 'bench' });
  const usPerChallenge = ((performance.now() - t0) * 1000) / issueCount;

  // Verifying: a fast pricing for the payloads (the check does not depend on the level), each spent once.
  const cheap = proofOfWork({ store, secret, receipts: signed, levels: [1], deviceRate: 5000, difficulty: { ipSteps: [0], siteSteps: [0] } });
  const payloads: string[] = [];
  for (let i = 0; i < (quick ? 300 : 2000); i++) payloads.push((await solveV2((await cheap.challenge({ action: 'bench' })).challenge as ChallengeV2)).payload);
  // The check alone (no store, no receipt), repeated on one payload.
  const checks = quick ? 5000 : 50_000;
  t0 = performance.now();
  for (let i = 0; i < checks; i++) await cheap.check(payloads[0]!);
  const usPerCheck = ((performance.now() - t0) * 1000) / checks;
  t0 = performance.now();
  for (const payload of payloads) await cheap.verify(payload);
  const usPerVerify = ((performance.now() - t0) * 1000) / payloads.length;
  log(`verify: ${usPerVerify.toFixed(1)} µs over ${payloads.length} payloads`);

  const derivationsPerSecond = nativeRate(cost, quick ? 500 : 2000);
  const samples = quick ? 3 : 20;
  const figures: PowLevelFigures[] = [];
  for (const [level, targetSeconds] of levels.entries()) {
    const meanCounter = Math.round((targetSeconds * deviceRate) / cost);
    const times = existsSync(CHROMIUM) ? await chromiumSolves(targetSeconds, samples, log) : null;
    figures.push({
      level,
      targetSeconds,
      meanCounter,
      chromium: times && { samples, medianMs: Math.round(percentile(times, 0.5)), p90Ms: Math.round(percentile(times, 0.9)) },
      native: { derivationsPerSecond: Math.round(derivationsPerSecond), solvesPerSecond: derivationsPerSecond / meanCounter },
      verify: { usPerCheck, usPerVerify, verifiesPerSecond: Math.round(1e6 / usPerVerify) },
    });
  }
  await store.close();
  return { cost, deviceRate, issue: { usPerChallenge, challengesPerSecond: Math.round(1e6 / usPerChallenge) }, levels: figures };
}

/** The rows bench.ts prints for part (d). */
export function powRows(f: PowFigures): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const l of f.levels) {
    const browser = l.chromium ? `chromium median ${(l.chromium.medianMs / 1000).toFixed(2)} s p90 ${(l.chromium.p90Ms / 1000).toFixed(2)} s (n=${l.chromium.samples})` : 'chromium: not installed';
    rows.push([
      l.level === 0 ? `(d) proof of work` : '',
      `level ${l.level}: ${l.targetSeconds} s target, mean counter ${l.meanCounter}`,
      `${browser}; native ${l.native.solvesPerSecond.toFixed(2)} solves/s/core; verify ${l.verify.usPerVerify.toFixed(0)} µs = ${l.verify.verifiesPerSecond}/s/core (check alone ${l.verify.usPerCheck.toFixed(0)} µs)`,
    ]);
  }
  rows.push(['', `issue one challenge (PBKDF2 × ${f.cost})`, `${f.issue.usPerChallenge.toFixed(0)} µs = ${f.issue.challengesPerSecond}/s`]);
  rows.push(['', 'native PBKDF2 derivations (pbkdf2Sync, 1 core)', `${f.levels[0]?.native.derivationsPerSecond}/s`]);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const figures = await powBench({ quick, log: (line) => process.stderr.write(`bench: ${line}\n`) });
  for (const r of powRows(figures)) process.stdout.write(`${r[0].padEnd(18)}  ${r[1].padEnd(48)}  ${r[2]}\n`);
  process.exit(0);
}

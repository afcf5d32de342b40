// Builds an in-process verifyd for tests, with an observer that records each captcha's answer
// (the library-only hook no HTTP route exposes).

import { createService, type Service, type ServiceHooks } from '../../src/service/app.ts';
import { loadConfig } from '../../src/config.ts';

export interface TestService extends Service {
  /** The answer of each issued captcha, by id. */
  answers: Map<string, string>;
  seeds: Map<string, number>;
  /** Lines the log SMS sender printed. */
  smsLines: string[];
  /** Lines the log email sender printed. */
  emailLines: string[];
  /** Waits for queued deliveries, then returns the last code the log sender printed for `e164`. */
  lastSmsCode(e164: string): Promise<string | undefined>;
  /** Issues a captcha and returns its id with the right answer. */
  solvedCaptcha(): Promise<{ id: string; answer: string }>;
}

export async function testService(env: Record<string, string> = {}, hooks: Pick<ServiceHooks, 'render'> = {}): Promise<TestService> {
  const answers = new Map<string, string>();
  const seeds = new Map<string, number>();
  const config = loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '0', VERIFYD_CAPTCHA_AUDIO_RATE_LIMIT: '0', VERIFYD_CHECK_RATE_LIMIT: '0', VERIFYD_API_KEYS: `test:${BACKEND_KEY}`, ...env });
  const smsLines: string[] = [];
  const emailLines: string[] = [];
  const service = await createService(config, {
    ...hooks,
    onCaptchaIssued: ({ id, answer, seed }) => {
      answers.set(id, answer);
      seeds.set(id, seed);
    },
    smsLog: (line) => smsLines.push(line),
    emailLog: (line) => emailLines.push(line),
  });
  return Object.assign(service, {
    answers,
    seeds,
    smsLines,
    emailLines,
    async lastSmsCode(e164: string) {
      await service.verifier.drain();
      const masked = `${e164.slice(0, 6)}****${e164.slice(-4)}`;
      const line = smsLines.findLast((l) => l.includes(` ${masked} `));
      return line && /code=(\d+)/.exec(line)?.[1];
    },
    async solvedCaptcha() {
      const { id } = await service.verifier.issueCaptcha();
      return { id, answer: answers.get(id)! };
    },
  });
}

export const SEED_UUID = '66ea64aa-fbe6-11ea-a3d3-005056c00008';
export const SECRET = 'test-secret-0123456789abcdef0123456789';
/** The back-end key every test service accepts (named `test`). */
export const BACKEND_KEY = 'backend-key-0123456789abcdef0123456789';
/** The header a back end sends with it. */
export const BACKEND = { authorization: `Bearer ${BACKEND_KEY}` };

/**
 * A complete production configuration: real senders (never contacted by the tests), a secret,
 * a back-end key and an https public URL, so each test can take one setting away.
 */
export const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  VERIFYD_SECRET: SECRET,
  VERIFYD_API_KEYS: `app:${BACKEND_KEY}`,
  VERIFYD_SMS_SENDER: 'webhook',
  VERIFYD_WEBHOOK_URL: 'https://hooks.example/sms',
  VERIFYD_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  VERIFYD_SMTP_URL: 'smtp://127.0.0.1:9',
  VERIFYD_PUBLIC_URL: 'https://verify.example',
};

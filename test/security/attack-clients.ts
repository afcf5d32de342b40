// What the security tests share: a service on each store, and an attacker's view of it through
// HTTP from many client addresses.

import { randomBytes, randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestService } from '../helpers/service.ts';

let ip = 0;
/** A client address never used before in this process (198.51.100.0/24 and beyond, TEST-NET-2). */
export const freshIp = (): string => `198.51.${100 + ((++ip >> 8) & 63)}.${ip & 255}`;

export interface Victim {
  /** What the victim types: a bare mobile number or an email address. */
  recipient: string;
  /** The code the victim received. */
  code: string;
  check(code: string, clientIp?: string): Promise<LightMyRequestResponse>;
}

/** Sends a fresh victim a code on `channel` and returns it with a public check function. */
export async function victimWithCode(svc: TestService, channel: 'sms' | 'email'): Promise<Victim> {
  const recipient = channel === 'sms' ? `139${String(randomInt(0, 1e8)).padStart(8, '0')}` : `victim.${randomBytes(4).toString('hex')}@example.com`;
  const field = channel === 'sms' ? 'phone' : 'email';
  const sent = await svc.app.inject({
    method: 'POST',
    url: `/v1/${channel}/send`,
    remoteAddress: freshIp(),
    payload: { [field]: recipient, purpose: 'login', captcha: await svc.solvedCaptcha() },
  });
  if (sent.statusCode !== 202) throw new Error(`send failed: ${sent.body}`);
  await svc.verifier.drain();
  const code = channel === 'sms' ? await svc.lastSmsCode(`+86${recipient}`) : /code=(\d{6})/.exec(svc.emailLines.findLast((l) => l.includes(recipient)) ?? '')?.[1];
  if (code === undefined) throw new Error('no code was printed');
  return {
    recipient,
    code,
    check: (guess, clientIp = freshIp()) =>
      svc.app.inject({ method: 'POST', url: `/v1/${channel}/check`, remoteAddress: clientIp, payload: { [field]: recipient, purpose: 'login', code: guess } }),
  };
}

/** A six-digit code that is not `code`. */
export const wrongCodes = (code: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));

// A page's view of verifyd's proof of work through HTTP: fetch a challenge, solve it, send.

import type { LightMyRequestResponse } from 'fastify';
import type { ChallengeV1, ChallengeV2 } from '../../src/core/pow/altcha-wire.ts';
import { solveV1, solveV2 } from './pow-solver.ts';
import type { TestService } from './service.ts';

/** A service whose SMS and email sends need a proof of work, with a fast reference device so solves take milliseconds. */
export const POW_ENV = { VERIFYD_SMS_REQUIRE: 'pow', VERIFYD_EMAIL_REQUIRE: 'pow', VERIFYD_POW_DEVICE_RATE: '20000' };

export async function fetchChallenge(svc: TestService, query: string, ip: string): Promise<{ level: number; captcha_required: boolean } & (ChallengeV2 | ChallengeV1)> {
  const res = await svc.app.inject({ method: 'GET', url: `/v1/pow/challenge?${query}`, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`challenge: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Fetches a challenge for `query` (e.g. `action=sms-send`) and returns the widget's payload for it. */
export async function solvedPayload(svc: TestService, query: string, ip: string): Promise<string> {
  const challenge = await fetchChallenge(svc, query, ip);
  return 'parameters' in challenge ? (await solveV2(challenge)).payload : solveV1(challenge).payload;
}

export function sendSms(svc: TestService, body: { phone: string; pow?: string; captcha?: object }, ip: string): Promise<LightMyRequestResponse> {
  return svc.app.inject({ method: 'POST', url: '/v1/sms/send', remoteAddress: ip, payload: { purpose: 'register', ...body } });
}

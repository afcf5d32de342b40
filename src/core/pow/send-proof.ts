// What a send must show before anything is sent: the image captcha, a proof of work, or both,
// as the operator chooses (`--sms-require`, `--email-require`); a proof of work priced at a high
// level needs the captcha as well. The proof of work is checked first and spent last, so a
// request refused for its captcha does not cost the visitor the work.

import { VerifyError } from '../../errors.ts';
import type { ProofOfWork } from './proof-of-work.ts';

export type SendRequirement = 'captcha' | 'pow' | 'both';
export const SEND_REQUIREMENTS: readonly SendRequirement[] = ['captcha', 'pow', 'both'];

export interface CaptchaChecker {
  checkCaptcha(id: string, answer: string, client?: { ip?: string }): Promise<{ valid: boolean }>;
}

/** The proofs a send request carries. */
export interface SendProof {
  captcha?: { id: string; answer: string } | undefined;
  /** The ALTCHA widget's payload (base64 JSON). */
  pow?: string | undefined;
}

export interface SendProofContext {
  requirement: SendRequirement;
  /** `sms-send` or `email-send`: the action the challenge must have been fetched for. */
  action: string;
  /** The number range of an SMS send, whose traffic can raise the level it needs. */
  range?: string | undefined;
  captchas: CaptchaChecker;
  pow: ProofOfWork;
}

/**
 * Checks the proofs `requirement` asks for and spends them: the captcha is consumed whatever
 * its outcome, the proof of work only when everything holds. Throws POW_REQUIRED, the POW_*
 * codes of ProofOfWork.check, or CAPTCHA_INVALID.
 */
export async function requireSendProof(
  { captcha, pow: payload }: SendProof,
  { requirement, action, range, captchas, pow }: SendProofContext,
  client: { ip?: string; site?: string } = {},
): Promise<void> {
  let proof;
  if (requirement !== 'captcha') {
    if (payload === undefined) throw new VerifyError('POW_REQUIRED');
    const minLevel = range === undefined ? 0 : await pow.traffic.rangeLevel(range);
    proof = await pow.check(payload, { action, minLevel }, client);
  }
  if (requirement !== 'pow' || proof?.captchaRequired) {
    if (captcha === undefined) {
      throw new VerifyError('CAPTCHA_INVALID', { message: requirement === 'pow' ? 'At this difficulty a solved captcha is required as well.' : 'A solved captcha is required to send a code.' });
    }
    if (!(await captchas.checkCaptcha(captcha.id, captcha.answer, client)).valid) throw new VerifyError('CAPTCHA_INVALID');
  }
  if (proof !== undefined) {
    await proof.consume();
    if (range !== undefined) await pow.traffic.countSend(range);
  }
}

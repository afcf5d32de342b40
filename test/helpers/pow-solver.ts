// Solves verifyd's proof-of-work challenges as a client would: v2 with the `altcha` package's
// own solver and PBKDF2 key derivation (the code its widget runs in a worker), v1 by counting.

import { createHash } from 'node:crypto';
import { pbkdf2, solveChallenge } from 'altcha/lib';
import type { ChallengeV1, ChallengeV2 } from '../../src/core/pow/altcha-wire.ts';

export const encodePayload = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64');

/** The widget's payload for a solved v2 challenge. */
export async function solveV2(challenge: ChallengeV2): Promise<{ payload: string; counter: number; derivedKey: string }> {
  const { parameters, signature } = challenge;
  // verifyd's data is a narrower type than altcha's open record; the wire form is the same.
  const solution = await solveChallenge({ challenge: { parameters: { ...parameters, data: { ...parameters.data } }, signature }, deriveKey: pbkdf2.deriveKey });
  if (solution === null) throw new Error('no solution found');
  return { payload: encodePayload({ challenge: { parameters, signature }, solution }), counter: solution.counter, derivedKey: solution.derivedKey };
}

/** The widget's payload for a solved v1 challenge (`took` as the widget sends it). */
export function solveV1(challenge: ChallengeV1): { payload: string; number: number } {
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (createHash('sha256').update(challenge.salt + number).digest('hex') === challenge.challenge) {
      const { algorithm, salt, signature } = challenge;
      return { payload: encodePayload({ algorithm, challenge: challenge.challenge, number, salt, signature, took: 1 }), number };
    }
  }
  throw new Error('no solution found');
}

/** Decodes a payload to edit it in a test. */
export const decodePayload = (payload: string): any => JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));

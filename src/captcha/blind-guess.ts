// Measures how well a client that never looks at the image does: it draws many challenges of a
// kind and counts its most frequent answer. `npm run strength` prints it; the tests bound it.
import { makeChallenge, type CaptchaType, type ChallengeOptions } from './challenge.ts';

export interface BlindGuess {
  /** The answer drawn most often: the best blind guess. */
  answer: string;
  /** How many of `draws` it was. */
  count: number;
  draws: number;
  /** count / draws: the share of captchas that guess passes. */
  rate: number;
}

/** Draws `draws` fresh challenges of `type` and returns the most frequent answer with its share. */
export function measureBlindGuess(type: CaptchaType, draws: number, options: ChallengeOptions = {}): BlindGuess {
  const counts = new Map<string, number>();
  let answer = '';
  let count = 0;
  for (let i = 0; i < draws; i++) {
    const drawn = makeChallenge(type, options).answer;
    const n = (counts.get(drawn) ?? 0) + 1;
    counts.set(drawn, n);
    if (n > count) [answer, count] = [drawn, n];
  }
  return { answer, count, draws, rate: count / draws };
}

// Attack: a burst of concurrent wrong checks from many addresses, with the right code last,
// used to slip more guesses past the attempt limit and the failure lock than they allow.
// Before the fix the count was read, compared and incremented in separate store calls: on
// Redis 39 wrong guesses and the right code in one burst got the right code accepted in 3 of 8
// runs, with the failure counter at 39 although the lock comes at 10.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';
import { freshIp, victimWithCode, wrongCodes } from './attack-clients.ts';

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis.close();
});

const stores: [string, () => Promise<TestService>][] = [
  ['memory', () => testService()],
  ['Redis', () => testService({ VERIFYD_REDIS_URL: redis.url(4), VERIFYD_SECRET: SECRET })],
];

for (const [label, open] of stores) {
  describe(`a burst of wrong codes on ${label}`, () => {
    let svc: TestService;
    before(async () => {
      svc = await open();
    });
    after(async () => {
      await svc.close();
    });

    for (const channel of ['sms', 'email'] as const) {
      it(`39 concurrent wrong ${channel} checks from 39 addresses, then the right code: refused, every time`, async () => {
        for (let round = 0; round < 4; round++) {
          const victim = await victimWithCode(svc, channel);
          const burst = [...wrongCodes(victim.code, 39), victim.code].map((guess) => victim.check(guess, freshIp()));
          const answers = await Promise.all(burst);
          const last = answers.at(-1)!;
          assert.notEqual(last.json().valid, true, `round ${round}: the right code passed the burst`);
          assert.ok(answers.every((a) => a.statusCode === 200 || a.json().error?.code === 'CHECK_LOCKED'), 'only verdicts and locks');

          const e164 = channel === 'sms' ? `+86${victim.recipient}` : victim.recipient;
          const failures = Number(await svc.store.get(`verifyd:${channel}:{${e164}}:failures`));
          assert.equal(failures, 10, `round ${round}: the lock came at the 10th failure, not after ${failures}`);
          const compared = answers.filter((a) => a.statusCode === 200).length;
          assert.equal(compared, 10, 'ten checks counted, the rest refused by the lock');
          assert.equal((await victim.check(victim.code)).json().error?.code, 'CHECK_LOCKED', 'the lock holds after the burst');
        }
      });
    }
  });
}

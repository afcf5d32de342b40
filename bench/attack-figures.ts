// The figures behind test/security/: each attack of issue 11 run against the in-process service
// on the memory store and on a throwaway Redis, printed as numbers rather than pass/fail, so a
// change can be measured before and after (run it on an older checkout the same way).
//   node --import tsx bench/attack-figures.ts [--rounds 8]

import { parseArgs } from 'node:util';
import { startRedis } from '../test/helpers/redis-server.ts';
import { SECRET, testService, type TestService } from '../test/helpers/service.ts';
import { freshIp, victimWithCode, wrongCodes } from '../test/security/attack-clients.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '8' }, captchas: { type: 'string', default: '150000' } } });
const rounds = Number(values.rounds);

/** Item 1: 39 concurrent wrong checks from 39 addresses with the right code last, per channel. */
async function burst(svc: TestService, label: string): Promise<void> {
  for (const channel of ['sms', 'email'] as const) {
    let accepted = 0;
    const failures: number[] = [];
    const attempts: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const victim = await victimWithCode(svc, channel);
      const answers = await Promise.all([...wrongCodes(victim.code, 39), victim.code].map((guess) => victim.check(guess, freshIp())));
      if (answers.at(-1)!.json().valid === true) accepted++;
      const tag = `verifyd:${channel}:{${channel === 'sms' ? `+86${victim.recipient}` : victim.recipient}}`;
      failures.push(Number(await svc.store.get(`${tag}:failures`)));
      // The attempts counter: before the fix it counted wrong comparisons; now every granted one.
      attempts.push(Number(await svc.store.get(`${tag}:attempts:login`)));
    }
    console.log(
      `burst ${label} ${channel}: right code accepted in ${accepted}/${rounds} bursts; failure counter ${Math.min(...failures)}-${Math.max(...failures)} (lock at 10); guesses compared ${Math.min(...attempts)}-${Math.max(...attempts)} (limit 5)`,
    );
  }
}

/** Item 3: a flood of captchas on the memory store's default bounds, then what survived. */
async function flood(count: number): Promise<void> {
  const svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: '1000' }, { render: async () => Buffer.from([0]) });
  try {
    const victim = await victimWithCode(svc, 'sms');
    const locked = await victimWithCode(svc, 'sms');
    for (const guess of wrongCodes(locked.code, 10)) await locked.check(guess);
    const started = Date.now();
    for (let i = 0; i < count; i += 1000) {
      const ip = freshIp();
      await Promise.all(Array.from({ length: 1000 }, () => svc.verifier.issueCaptcha({}, { ip })));
    }
    const lock = (await locked.check(locked.code)).json().error?.code === 'CHECK_LOCKED';
    const resend = await svc.app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      remoteAddress: freshIp(),
      payload: { phone: victim.recipient, purpose: 'login', captcha: await svc.solvedCaptcha() },
    });
    const code = (await victim.check(victim.code)).json().valid === true;
    console.log(
      `flood memory: ${count} captchas from ${count / 1000} addresses in ${((Date.now() - started) / 1000).toFixed(1)} s; lock kept: ${lock}; resend slot kept: ${resend.json().error?.code === 'SEND_TOO_SOON'}; live code kept: ${code}`,
    );
  } finally {
    await svc.close();
  }
}

const memory = await testService();
await burst(memory, 'memory');
await memory.close();
const redis = await startRedis();
const onRedis = await testService({ VERIFYD_REDIS_URL: redis.url(1), VERIFYD_SECRET: SECRET });
await burst(onRedis, 'redis');
await onRedis.close();
await redis.close();
await flood(Number(values.captchas));

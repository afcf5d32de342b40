// What the service logs: requests and deliveries, never codes, answers, full numbers or addresses.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { createService } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

it('logs never contain codes, captcha answers, phone numbers or addresses', async () => {
  let logged = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      logged += chunk;
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  const answers = new Map<string, string>();
  const printed: string[] = [];
  const svc = await createService(loadConfig({ VERIFYD_LOG_LEVEL: 'trace' }), {
    logger,
    onCaptchaIssued: ({ id, answer }) => answers.set(id, answer),
    smsLog: (line) => printed.push(line),
    emailLog: (line) => printed.push(line),
  });
  const captcha = async () => {
    const { id } = await svc.verifier.issueCaptcha();
    return { id, answer: answers.get(id) };
  };
  const uuid = '66ea64aa-fbe6-11ea-a3d3-005056c00008';
  await svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}` });
  await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code: answers.get(uuid) } });
  await svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: '13912345678', purpose: 'login', captcha: await captcha() } });
  await svc.app.inject({ method: 'POST', url: '/v1/email/send', payload: { email: 'alice.secret@example.com', purpose: 'login', captcha: await captcha() } });
  await svc.verifier.drain();
  const codes = printed.flatMap((l) => /code[=: ]+(\d{6})/.exec(l)?.[1] ?? []);
  assert.equal(codes.length, 2, 'both codes were printed by the development senders');
  await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: '13912345678', purpose: 'login', code: codes[0] } });
  await svc.close();

  assert.match(logged, /"path":"\/verify\/image_codes\/"/, 'requests are logged, without their query string');
  assert.match(logged, /sms handed to log/);
  assert.match(logged, /\+86139\*\*\*\*5678/, 'numbers appear masked');
  for (const secret of [...codes, answers.get(uuid)!, uuid, '13912345678', 'alice.secret@example.com', 'alice.secret']) {
    // Word boundaries: a 6-digit code may occur inside a millisecond timestamp by chance.
    assert.doesNotMatch(logged, new RegExp(`\\b${secret.replace(/[.+]/g, '\\$&')}\\b`), `the log must not contain ${secret}`);
  }
});

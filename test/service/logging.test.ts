// What the service logs: requests and deliveries, never codes, answers, full numbers or addresses.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createService } from '../../src/service/app.ts';
import { loadConfig } from '../../src/config.ts';
import { prettyLine } from '../../src/service/log-pretty.ts';
import { createLogger } from '../../src/service/logger.ts';

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

it('a pretty line shows time, level, message and the other fields, and never the code', () => {
  const logger = createLogger({ level: 'info', destination: { write: (json: string) => lines.push(prettyLine(json)) } });
  const lines: string[] = [];
  logger.info({ store: 'memory', code: '123456' }, 'verifyd listening on http://127.0.0.1:8000');
  logger.warn({ err: new Error('boom') }, 'redis connection lost');
  assert.match(lines[0]!, /^\d\d:\d\d:\d\d INFO  verifyd listening on http:\/\/127\.0\.0\.1:8000 store=memory code=\[redacted\]$/);
  assert.match(lines[1]!, /^\d\d:\d\d:\d\d WARN  redis connection lost err="boom"$/);
});

describe('npm start in a terminal', () => {
  it('prints readable lines on a TTY (pipes get JSON: every other CLI test parses it)', async () => {
    // script(1) gives the service a pseudo-terminal; the shell prints its pid so the test can stop it.
    const command = `echo PID:$$; exec ${process.execPath} --import tsx src/cli.ts serve --port 0`;
    const child = spawn('script', ['-qec', `sh -c '${command}'`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'development' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 30_000);
      child.stdout.on('data', () => /verifyd listening on/.test(out) && (clearTimeout(timer), resolve()));
    });
    process.kill(Number(/PID:(\d+)/.exec(out)![1]), 'SIGINT');
    await once(child, 'exit');
    const plain = out.replace(/\x1b\[\d+m/g, '');
    assert.match(plain, /^\d\d:\d\d:\d\d INFO  verifyd listening on http:\/\/127\.0\.0\.1:\d+ store=memory layout=verifyd\r?$/m);
    assert.doesNotMatch(out, /\{"level"/);
  });
});

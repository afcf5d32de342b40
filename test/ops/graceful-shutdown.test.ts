// SIGTERM on `verifyd serve`: the listening socket closes at once, every request already in
// flight is answered normally, idle keep-alive connections do not hold the process, and it
// exits 0. "In flight" is made certain: the requests' bodies are held back until after the
// signal, and the process's own log shows it received them before.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { after, it } from 'node:test';
import { waitUntil } from '../helpers/redis-process.ts';
import { startVerifyd, type VerifydProcess } from '../helpers/verifyd-process.ts';

let verifyd: VerifydProcess | undefined;
after(async () => {
  await verifyd?.stop('SIGKILL');
});

interface Held {
  req: ClientRequest;
  rest: string;
  response: Promise<{ status: number; body: string }>;
}

/** Sends the headers and the first half of a JSON body, holding back the rest. */
function holdRequest(base: string, path: string, body: object): Held {
  const json = JSON.stringify(body);
  const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }, agent: false });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(json.length / 2);
  req.flushHeaders();
  req.write(json.slice(0, half));
  return { req, rest: json.slice(half), response };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

it('on SIGTERM no request in flight fails, new connections are refused, and the process exits 0', async () => {
  verifyd = await startVerifyd(['--captcha-rate-limit', '0', '--check-rate-limit', '0', '--sms-check-rate-limit', '0']);
  const base = verifyd.url;
  const port = Number(new URL(base).port);

  // An idle keep-alive connection must not keep the process alive.
  const keepAlive = new Agent({ keepAlive: true });
  const warm = await new Promise<number>((resolve, reject) =>
    request(`${base}/healthz`, { agent: keepAlive }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    })
      .on('error', reject)
      .end(),
  );
  assert.equal(warm, 200);

  const held: Held[] = [
    holdRequest(base, '/v1/captchas', { format: 'png' }),
    holdRequest(base, '/v1/captchas', {}),
    holdRequest(base, `/v1/captchas/${randomUUID()}/check`, { answer: 'ABCD' }),
    holdRequest(base, '/verify/image_codes/check', { uuid: randomUUID(), code: 'ABCD' }),
    holdRequest(base, '/v1/sms/check', { phone: '13800138000', purpose: 'register', code: '123456' }),
    holdRequest(base, '/v1/email/check', { email: 'someone@example.com', purpose: 'register', code: '123456' }),
  ];
  await waitUntil('verifyd to log every held request as received', async () => verifyd!.lines.filter((l) => l.includes('"incoming request"')).length >= held.length + 1);

  verifyd.child.kill('SIGTERM');
  await verifyd.waitForLine(/shutting down/);
  await waitUntil('the listening socket to close', () => refused(port));
  assert.equal(verifyd.child.exitCode, null, 'the process waits for the requests in flight');

  for (const { req, rest } of held) req.end(rest);
  const answers = await Promise.all(held.map((h) => h.response));
  assert.deepEqual(
    answers.map((a) => a.status),
    [201, 201, 200, 200, 200, 200],
    answers.map((a) => a.body).join('\n'),
  );
  const [code] = verifyd.child.exitCode === null ? await once(verifyd.child, 'exit') : [verifyd.child.exitCode];
  assert.equal(code, 0);
  await verifyd.waitForLine(/"stopped"/);
  keepAlive.destroy();
});

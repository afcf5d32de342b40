import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, it } from 'node:test';
import { fetchHandler } from '../../src/adapters/fetch.ts';
import { BACKEND_KEY, testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
let handle: (request: Request) => Promise<Response>;
before(async () => {
  svc = await testService();
  handle = fetchHandler(svc.app, { prefix: '/api/verify', clientIp: (r) => r.headers.get('x-real-ip') ?? undefined });
});
after(async () => {
  await svc.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  handle(new Request(`https://app.example/api/verify${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));

it('runs the SMS flow and a receipt redemption through Request and Response', async () => {
  const issued = await handle(new Request('https://app.example/api/verify/v1/captchas', { method: 'POST' }));
  assert.equal(issued.status, 201);
  const { id } = (await issued.json()) as { id: string };
  const phone = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const sent = await post('/v1/sms/send', { phone, purpose: 'login', captcha: { id, answer: svc.answers.get(id) } }, { 'x-real-ip': '203.0.113.7' });
  assert.equal(sent.status, 202);
  assert.equal(sent.headers.get('cache-control'), 'no-store');
  const code = await svc.lastSmsCode(`+86${phone}`);
  const checked = (await (await post('/v1/sms/check', { phone, purpose: 'login', code })).json()) as { receipt: string };
  const verdict = (await (await post('/v1/siteverify', { secret: BACKEND_KEY, response: checked.receipt, phone })).json()) as { success: boolean };
  assert.equal(verdict.success, true);
});

it('answers errors in the one JSON shape, with Retry-After, and serves the image endpoint', async () => {
  const bad = await post('/v1/sms/check', { phone: 'nope', purpose: 'login', code: '1' });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_PHONE');
  const image = await handle(new Request('https://app.example/api/verify/verify/image_codes/?uuid=66ea64aa-fbe6-11ea-a3d3-005056c00008'));
  assert.equal(image.headers.get('content-type'), 'image/jpeg');
  assert.ok((await image.arrayBuffer()).byteLength > 1000);
  const head = await handle(new Request('https://app.example/api/verify/verify/image_codes/?uuid=66ea64aa-fbe6-11ea-a3d3-005056c00008', { method: 'HEAD' }));
  assert.equal(head.status, 200);
});

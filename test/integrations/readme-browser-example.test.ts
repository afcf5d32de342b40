// The README's browser example, taken from the README as it stands, in Chromium: a small
// application serves it with verifyd behind /verify/ (the reverse proxy the README assumes),
// and its back end redeems the receipt the form carries, as the README's back-end code does.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { BACKEND_KEY, testService, type TestService } from '../helpers/service.ts';

const CHROMIUM = '/usr/bin/chromium';
const PHONE = { bare: '13912345678', e164: '+8613912345678' };

let svc: TestService;
let verifyd: URL;
let app: Server;
let appUrl: string;
let browser: Browser;
/** What the application's back end answered to each sign-up it received. */
const signUps: { receipt: string; status: number; verdict: Record<string, unknown> }[] = [];

/** The application's back end: redeem the receipt at /v1/siteverify for the phone about to be stored. */
async function signUp(form: URLSearchParams): Promise<{ status: number; verdict: Record<string, unknown> }> {
  const response = await fetch(new URL('/v1/siteverify', verifyd), {
    method: 'POST',
    headers: { authorization: `Bearer ${BACKEND_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ response: form.get('receipt'), action: 'register', phone: form.get('phone') }),
  });
  const verdict = (await response.json()) as Record<string, unknown>;
  return { status: verdict.success === true ? 201 : 403, verdict };
}

before(async () => {
  const readme = await readFile('README.md', 'utf8');
  const html = /```html\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(html?.includes('/verify/verifyd.js'), 'the README has its browser example');
  svc = await testService();
  verifyd = new URL(await svc.app.listen({ host: '127.0.0.1', port: 0 }));
  app = createServer((req, res) => {
    if (req.url?.startsWith('/verify/')) {
      const upstream = forward(new URL(req.url.slice('/verify'.length), verifyd), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
      return;
    }
    if (req.method === 'POST' && req.url === '/signup') {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        const { status, verdict } = await signUp(form);
        signUps.push({ receipt: form.get('receipt') ?? '', status, verdict });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 201 ? 'Welcome.' : 'Refused.');
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8"><title>Sign up</title>${html}`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  await svc?.close();
});

it("the README's sign-up form carries a receipt that its back end redeems once", async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(appUrl);

  const img = page.locator('#captcha img[data-captcha-id]');
  await img.waitFor();
  await page.fill('#answer', svc.answers.get((await img.getAttribute('data-captcha-id'))!)!);
  await page.fill('#phone', PHONE.bare);
  await page.click('#send');
  await page.locator('#status', { hasText: 'Code sent' }).waitFor();
  await page.fill('#code', (await svc.lastSmsCode(PHONE.e164))!);
  await Promise.all([page.waitForURL(`${appUrl}signup`), page.click('button:not([type])')]);

  assert.equal(await page.textContent('body'), 'Welcome.');
  assert.deepEqual(problems, []);
  assert.equal(signUps.length, 1);
  const [first] = signUps;
  assert.match(first!.receipt, /^vr1\./);
  assert.equal(first!.verdict.channel, 'sms');
  assert.equal(first!.verdict.recipient_match, true);

  // The form posted again, as a replaying bot would: the receipt is spent.
  const replay = await fetch(new URL('/signup', appUrl), { method: 'POST', body: new URLSearchParams({ phone: PHONE.bare, receipt: first!.receipt }) });
  assert.equal(replay.status, 403);
  assert.deepEqual(signUps[1]?.verdict['error-codes'], ['timeout-or-duplicate']);
});

it('the back end refuses a receipt earned for another phone number', async () => {
  // A code checked for the attacker's own phone, then the victim's number typed into the form.
  const { id } = await svc.verifier.issueCaptcha();
  await svc.verifier.sms!.send({ phone: '13900001111', purpose: 'register', captcha: { id, answer: svc.answers.get(id)! } });
  const checked = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: '13900001111', purpose: 'register', code: await svc.lastSmsCode('+8613900001111') } });
  const { receipt } = checked.json<{ receipt: string }>();
  const forged = await fetch(new URL('/signup', appUrl), { method: 'POST', body: new URLSearchParams({ phone: PHONE.bare, receipt }) });
  assert.equal(forged.status, 403);
  assert.deepEqual(signUps.at(-1)?.verdict['error-codes'], ['recipient-mismatch']);
});

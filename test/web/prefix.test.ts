// The demo page under a path prefix, in real Chromium: verifyd mounted at /auth/verify in an
// Express application, opened at the bare prefix (redirected to /auth/verify/), and used for a
// whole SMS sign-up. Every request the page makes must stay under the prefix.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { chromium, type BrowserContext } from 'playwright-core';
import { verifydExpress } from '../../src/adapters/express.ts';
import { apiKeys } from '../../src/core/api-keys.ts';
import { CHROMIUM, problemsOf, skipWithoutChromium } from '../helpers/chromium.ts';
import { testService, type TestService } from '../helpers/service.ts';

const PREFIX = '/auth/verify';

describe('the demo page under a path prefix, in Chromium', { skip: skipWithoutChromium('the demo page under a prefix (test/web/prefix.test.ts)') }, () => {
  let svc: TestService;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let userDataDir: string;

  before(async () => {
    svc = await testService({ VERIFYD_SMS_IP_PER_MINUTE: '0' });
    const app = express();
    app.use(PREFIX, verifydExpress({ verifier: svc.verifier, apiKeys: apiKeys([]), demoBackend: true }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'verifyd-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'en-US',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    server?.close();
    await svc?.close();
  });

  it('signs a visitor up by SMS, every request under the prefix', async () => {
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && !url.pathname.startsWith(`${PREFIX}/`)) outside.push(url.pathname);
    });
    const problems = problemsOf(page);
    await page.goto(origin + PREFIX);
    assert.equal(new URL(page.url()).pathname, `${PREFIX}/`, 'the bare prefix redirects to the folder');
    outside.length = 0; // the first request, to the bare prefix itself

    const sms = page.locator('#panel-sms');
    const bare = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    await sms.getByLabel('Mobile number').fill(bare);
    const img = sms.locator('img[data-captcha-id]');
    await img.waitFor();
    const answer = svc.answers.get((await img.getAttribute('data-captcha-id'))!);
    assert.ok(answer);
    await sms.getByLabel('Characters in the image').fill(answer);
    await sms.getByRole('button', { name: 'Send code' }).click();
    await sms.locator('[role=status]', { hasText: /Code sent to/ }).waitFor();
    const code = await svc.lastSmsCode(`+86${bare}`);
    await sms.getByLabel('Verification code').pressSequentially(code!);
    await sms.getByRole('button', { name: 'Verify and sign up' }).click();
    await sms.getByRole('heading', { name: 'You’re verified' }).waitFor();
    assert.match(await sms.locator('.backend-text').innerText(), /The back end redeemed your SMS receipt, once/);
    assert.deepEqual(outside, [], 'no request left the prefix');
    assert.deepEqual(problems, []);
  });
});

// The real ALTCHA widget, served by verifyd itself, in Chromium under the demo's strict CSP: it
// solves a challenge, its payload verifies once and a replay is refused; the PoW demo page sends
// a code with it; /verifyd.js solves on its own with WebCrypto.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, problemsOf } from '../helpers/chromium.ts';
import { POW_ENV } from '../helpers/pow-client.ts';
import { testService, type TestService } from '../helpers/service.ts';


describe('the ALTCHA widget in Chromium', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (.ci/run installs it)` }, () => {
  let svc: TestService;
  let base: string;
  let browser: Browser;

  before(async () => {
    svc = await testService(POW_ENV);
    base = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => {
    await browser?.close();
    await svc?.close();
  });

  /** The PoW page, with every console error (CSP violations included) and page error collected. */
  async function open(): Promise<{ page: Page; problems: string[] }> {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const problems = problemsOf(page);
    const response = await page.goto(`${base}/pow`);
    assert.match(String(response?.headers()['content-security-policy']), /script-src 'self'/);
    return { page, problems };
  }

  const verify = (payload: string) => fetch(`${base}/v1/pow/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });

  it('the widget solves a challenge when ticked; its payload verifies once and a replay is refused', async () => {
    const { page, problems } = await open();
    await page.getByText("I'm not a robot").click();
    const field = page.locator('altcha-widget input[name="altcha"]');
    await page.waitForFunction(() => (document.querySelector('altcha-widget input[name="altcha"]') as HTMLInputElement | null)?.value, null, { timeout: 30_000 });
    const payload = await field.inputValue();
    const first = await verify(payload);
    assert.equal(first.status, 200, await first.clone().text());
    assert.match(((await first.json()) as { receipt: string }).receipt, /^vr1\./);
    const replay = await verify(payload);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: { code: string } }).error.code, 'POW_USED');
    assert.deepEqual(problems, []);
  });

  it('the PoW demo sends a code with a payload the widget solved for the number', async () => {
    const { page, problems } = await open();
    await page.locator('#pow-phone').fill('13912340077');
    await page.locator('#pow-send').click();
    await page.locator('#pow-status').filter({ hasText: 'Code sent.' }).waitFor({ timeout: 30_000 });
    assert.match((await svc.lastSmsCode('+8613912340077')) ?? '', /^\d{6}$/);
    assert.deepEqual(problems, []);
  });

  it('/verifyd.js solves v2 and v1 challenges on its own with WebCrypto', async () => {
    const { page, problems } = await open();
    const payloads = await page.evaluate(async () => {
      // A URL string, so tsc does not look for a declaration of the page's module.
      const helper = '/verifyd.js';
      const v = await import(helper);
      const out: string[] = [];
      for (const version of [2, 1] as const) {
        const fetched = await v.powChallenge({ action: 'login', version });
        if (!fetched.ok) throw new Error(fetched.code);
        out.push(await v.solvePow(fetched.challenge));
      }
      return out;
    });
    for (const payload of payloads) assert.equal((await verify(payload)).status, 200);
    assert.deepEqual(problems, []);
  });
});

// The demo page in real Chromium, used as a person would: the test reads each captcha's answer
// through the library-only observer and each code from the log senders, and types them.
// Screenshots of every state go to test-artifacts/web/.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, problemsOf, skipWithoutChromium } from '../helpers/chromium.ts';
import { testService, type TestService } from '../helpers/service.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));

const randomPhone = () => {
  const bare = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  return { bare, e164: `+86${bare}` };
};

describe('the demo page in Chromium', { skip: skipWithoutChromium('the demo page in Chromium (test/web/demo.test.ts)') }, () => {
  let svc: TestService;
  let base: string;
  let persistent: BrowserContext;
  let browser: Browser;
  let userDataDir: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    // Every request comes from 127.0.0.1: lift the per-IP send limits so tests do not share a budget.
    svc = await testService({ VERIFYD_SMS_IP_PER_MINUTE: '0', VERIFYD_EMAIL_IP_PER_MINUTE: '0' });
    base = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    mkdirSync(ARTIFACTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'verifyd-chromium-'));
    // Playwright refuses --user-data-dir in `args`; a persistent context takes the fresh folder instead.
    persistent = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    browser = persistent.browser()!;
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await persistent?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await svc?.close();
  });

  /** A fresh browser context and the loaded page; console errors (CSP violations included) and page errors are collected. */
  async function open(options: BrowserContextOptions = {}, beforeLoad?: (context: BrowserContext) => Promise<void>) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 560, height: 900 }, ...options });
    contexts.push(context);
    await beforeLoad?.(context);
    const page = await context.newPage();
    const problems = problemsOf(page);
    await page.goto(base);
    return { page, problems, sms: page.locator('#panel-sms'), email: page.locator('#panel-email') };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** Waits for the panel's captcha (a different one than `previous`, if given) and returns its id and answer. */
  async function captchaOf(panel: Locator, previous?: string): Promise<{ id: string; answer: string }> {
    const img = panel.locator('img[data-captcha-id]');
    await img.waitFor();
    await panel.page().waitForFunction(
      ([el, old]) => (el as HTMLImageElement).dataset.captchaId !== old && (el as HTMLImageElement).complete,
      [await img.elementHandle(), previous ?? null] as const,
    );
    const id = (await img.getAttribute('data-captcha-id'))!;
    const answer = svc.answers.get(id);
    assert.ok(answer, `the observer saw captcha ${id}`);
    return { id, answer };
  }

  const statusOf = (panel: Locator, text: RegExp) => panel.locator('[role=status]', { hasText: text }).waitFor();

  async function sendSmsCode(sms: Locator, bare: string) {
    await sms.getByLabel('Mobile number').fill(bare);
    const { id, answer } = await captchaOf(sms);
    await sms.getByLabel('Characters in the image').fill(answer.toLowerCase());
    await sms.getByRole('button', { name: 'Send code' }).click();
    await statusOf(sms, /Code sent to/);
    return id;
  }

  async function lastEmailCode(email: string) {
    await svc.verifier.drain();
    return /code=(\d+)/.exec(svc.emailLines.findLast((line) => line.includes(`to=${email} `)) ?? '')?.[1];
  }

  it('a visitor signs up with a phone number: captcha, code by text message, success', async () => {
    const { page, problems, sms } = await open({ deviceScaleFactor: 2, viewport: { width: 520, height: 760 } });
    assert.equal(await page.title(), 'Sign up · verifyd demo');
    await shot(page, '01-loaded');
    const { bare, e164 } = randomPhone();
    await sendSmsCode(sms, bare);

    const sendButton = sms.getByRole('button', { name: /Again in \d+\ss/ });
    assert.equal(await sendButton.getAttribute('aria-disabled'), 'true', 'the send button waits out the 60 s');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sms-code', 'focus moves to the code field');
    const code = await svc.lastSmsCode(e164);
    assert.match(code ?? '', /^\d{6}$/);
    await sms.getByLabel('Verification code').pressSequentially(code!);
    await shot(page, '02-code-sent');

    await sms.getByRole('button', { name: 'Verify and sign up' }).click();
    await sms.getByRole('heading', { name: 'You’re verified' }).waitFor();
    assert.match(await sms.locator('.success-text').innerText(), new RegExp(`${bare} is confirmed`));
    assert.match(await sms.locator('.backend-text').innerText(), /The back end redeemed your SMS receipt, once/, 'the page handed its receipt to the back end');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H2', 'focus moves to the success heading');
    await shot(page, '03-verified');
    assert.deepEqual(problems, []);
  });

  it('a wrong captcha answer shows a readable message and loads a new image', async () => {
    const { page, problems, sms } = await open();
    await sms.getByLabel('Mobile number').fill(randomPhone().bare);
    const first = await captchaOf(sms);
    await sms.getByLabel('Characters in the image').fill('WRONG');
    await sms.getByRole('button', { name: 'Send code' }).click();
    await statusOf(sms, /did not match the image/);
    const second = await captchaOf(sms, first.id);
    assert.notEqual(second.id, first.id);
    const answer = sms.getByLabel('Characters in the image');
    assert.equal(await answer.inputValue(), '');
    assert.equal(await answer.getAttribute('aria-invalid'), 'true');
    assert.equal(await answer.getAttribute('aria-describedby'), 'sms-answer-hint sms-status', 'the message describes the field');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sms-answer');
    await shot(page, '04-wrong-captcha');
    assert.deepEqual(problems, []);
  });

  it('asking again within 60 s shows the wait, counting down on the button', async () => {
    const { bare } = randomPhone();
    const first = await open();
    await sendSmsCode(first.sms, bare);
    // A second visit (say, after a reload) does not know about the countdown: the server refuses.
    const { page, problems, sms } = await open();
    await sms.getByLabel('Mobile number').fill(bare);
    const { id, answer } = await captchaOf(sms);
    await sms.getByLabel('Characters in the image').fill(answer);
    await sms.getByRole('button', { name: 'Send code' }).click();
    await statusOf(sms, /A code was sent moments ago\. You can ask for another when the countdown on the button ends\./);
    await captchaOf(sms, id);

    const button = sms.locator('button.send');
    const before = Number(/\d+/.exec(await button.innerText())?.[0]);
    assert.ok(before > 50 && before <= 60, `countdown starts near 60 s, got ${before}`);
    assert.equal(await button.getAttribute('aria-disabled'), 'true');
    await page.waitForFunction((n) => Number(/\d+/.exec(document.querySelector('#panel-sms button.send')!.textContent!)?.[0]) < n, before);
    await shot(page, '05-send-too-soon');
    assert.deepEqual(problems, []);
  });

  it('an expired code is refused like a wrong one, with a request for a new one', async () => {
    const { page, problems, sms } = await open();
    const { bare, e164 } = randomPhone();
    await sendSmsCode(sms, bare);
    const code = await svc.lastSmsCode(e164);
    assert.equal(await svc.store.delete(`verifyd:sms:{${e164}}:code:register`), true, 'the code was stored under the expected key');
    await sms.getByLabel('Verification code').fill(code!);
    await sms.getByLabel('Verification code').press('Enter');
    await statusOf(sms, /That code is not right, or it has expired\. Check it, or send a new code\./);
    assert.equal(await sms.getByLabel('Verification code').getAttribute('aria-invalid'), 'true');
    await shot(page, '06-expired-code');
    assert.deepEqual(problems, []);
  });

  it('a visitor verifies an email address on the second tab', async () => {
    const { page, problems, email } = await open();
    await page.getByRole('tab', { name: 'Email' }).click();
    const address = `visitor${randomInt(1e9)}@example.com`;
    await email.getByLabel('Email address').fill(address);
    const { answer } = await captchaOf(email);
    await email.getByLabel('Characters in the image').fill(answer);
    await email.getByRole('button', { name: 'Send code' }).click();
    await statusOf(email, new RegExp(`Code sent to ${address}\\. It is valid for 10\\smin\\.`));
    const code = await lastEmailCode(address);
    assert.match(code ?? '', /^\d{6}$/);
    await email.getByLabel('Verification code').fill(code!);
    await shot(page, '07-email-code-sent');
    await email.getByRole('button', { name: 'Verify and sign up' }).click();
    await email.getByRole('heading', { name: 'You’re verified' }).waitFor();
    await shot(page, '08-email-verified');

    const used = (await email.locator('img').getAttribute('data-captcha-id'))!;
    await email.getByRole('button', { name: 'Start over' }).click();
    assert.equal(await email.getByLabel('Email address').inputValue(), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email-contact');
    await captchaOf(email, used);
    assert.deepEqual(problems, []);
  });

  it('the page follows the browser language, switches on request, and words errors in both', async () => {
    const { page, problems, sms } = await open({ locale: 'zh-CN' });
    await page.getByRole('heading', { name: '创建账号' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await sms.getByLabel('手机号码').fill(randomPhone().bare);
    await captchaOf(sms);
    await sms.getByLabel('图中字符').fill('WRONG');
    await sms.getByRole('button', { name: '获取验证码' }).click();
    await statusOf(sms, /图中字符输入有误/);
    await shot(page, '09-zh-wrong-captcha');

    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await statusOf(sms, /did not match the image/);
    assert.match((await sms.locator('img').getAttribute('alt'))!, /type the characters in this image/);
    await shot(page, '10-switched-to-en');
    assert.deepEqual(problems, []);
  });

  it('the keyboard reaches every control in order, switches tabs and refreshes the captcha', async () => {
    const { page, problems, sms, email } = await open();
    const first = await captchaOf(sms);
    const order: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return el.id || el.className || el.tagName;
      }));
    }
    assert.deepEqual(order, ['lang', 'tab-sms', 'sms-contact', 'verifyd-captcha', 'verifyd-listen', 'sms-answer', 'sms-code', 'secondary send', 'primary']);

    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'verifyd-captcha');
    await page.keyboard.press('Enter');
    const second = await captchaOf(sms, first.id);
    await statusOf(sms, /A new image is shown\./);
    await page.keyboard.press('Space');
    await captchaOf(sms, second.id);
    await shot(page, '11-keyboard-refresh');

    await page.focus('#tab-sms');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-email');
    assert.equal(await email.isVisible(), true);
    assert.equal(await sms.isVisible(), false);
    await captchaOf(email);
    assert.deepEqual(problems, []);
  });

  it('the captcha replaces itself shortly before it expires', async () => {
    const { page, problems, sms } = await open({}, (context) => context.clock.install());
    const first = await captchaOf(sms);
    await page.clock.runFor(286_000); // 300 s lifetime, refreshed 15 s before the end
    await captchaOf(sms, first.id);
    await statusOf(sms, /The image expired, so a new one is shown/);
    assert.deepEqual(problems, []);
  });

  it('every control has an accessible name, and the image says what to do', async () => {
    const { page, problems, sms, email } = await open();
    await page.getByRole('tablist').waitFor();
    for (const [panel, contact] of [[sms, 'Mobile number'], [email, 'Email address']] as const) {
      if (panel === email) await page.getByRole('tab', { name: 'Email' }).click();
      for (const label of [contact, 'Characters in the image', 'Verification code']) {
        assert.equal(await panel.getByLabel(label, { exact: true }).count(), 1, `${label} is labelled`);
      }
      await panel.getByRole('button', { name: /Captcha: type the characters in this image .* Press to get a new image\./ }).waitFor();
      for (const name of ['Send code', 'Verify and sign up']) assert.equal(await panel.getByRole('button', { name }).count(), 1);
      assert.equal(await panel.locator('[role=status]').getAttribute('aria-live'), 'polite');
    }
    assert.equal(await page.getByLabel('Language').count(), 1);
    // No control without a name: every input, select and button is labelled or has text.
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, button'))
        .filter((el) => !((el as HTMLInputElement).labels?.length || el.textContent?.trim() || el.querySelector('img[alt]') || el.getAttribute('aria-label')))
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unnamed, []);
    assert.deepEqual(problems, []);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`text meets WCAG AA contrast in the ${colorScheme} scheme`, async () => {
      const { page, problems, sms } = await open({ colorScheme });
      await captchaOf(sms);
      await sms.getByLabel('Characters in the image').fill('WRONG');
      await sms.getByLabel('Mobile number').fill(randomPhone().bare);
      await sms.getByRole('button', { name: 'Send code' }).click();
      await statusOf(sms, /did not match/);
      const low = await page.evaluate<string[]>(LOW_CONTRAST_TEXTS);
      assert.deepEqual(low, []);
      await shot(page, `12-contrast-${colorScheme}`);
      assert.deepEqual(problems, []);
    });
  }
});

/**
 * Runs in the page: every visible element with its own text, whose colour against the nearest
 * opaque background is below 4.5:1 (WCAG 2.2 SC 1.4.3; none of the page's text is large).
 * A string, because tsx's name-keeping helpers do not exist in the page.
 */
const LOW_CONTRAST_TEXTS = `(() => {
  const parse = (c) => (c.match(/[\\d.]+/g) ?? []).map(Number);
  const channel = (v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c;
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
    if (!own || !el.offsetParent) continue;
    const a = luminance(parse(getComputedStyle(el).color));
    const b = luminance(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2) + ':1');
  }
  return low;
})()`;

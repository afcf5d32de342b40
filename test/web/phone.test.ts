// The demo page on a phone (375×667 CSS pixels, device pixel ratio 2) in real Chromium: every
// message lands where the visitor is looking without their scrolling, the captcha is drawn with
// 2× pixels, and a mistyped number is caught before it spends the solved captcha.
// Screenshots go to test-artifacts/web/ (docs/demo-phone*.png were taken from them).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM, skipWithoutChromium } from '../helpers/chromium.ts';
import { testService, type TestService } from '../helpers/service.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' };

describe('the demo page on a phone', { skip: skipWithoutChromium('the demo page on a phone (test/web/phone.test.ts)') }, () => {
  let svc: TestService;
  let base: string;
  let browser: Browser;

  before(async () => {
    svc = await testService({ VERIFYD_SMS_IP_PER_MINUTE: '0', VERIFYD_SMS_PREFIX_PER_HOUR: '0' });
    base = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  });
  after(async () => {
    await browser?.close();
    await svc?.close();
  });

  async function open(options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ ...PHONE, ...options });
    const page = await context.newPage();
    const sends: string[] = [];
    page.on('request', (request) => request.url().includes('/v1/sms/send') && sends.push(request.url()));
    await page.goto(base);
    await captchaId(page);
    return { page, sends, close: () => context.close() };
  }

  async function captchaId(page: Page, previous?: string): Promise<string> {
    await page.waitForFunction((old) => {
      const img = document.querySelector<HTMLImageElement>('#panel-sms img[data-captcha-id]');
      return img !== null && img.complete && img.naturalWidth > 0 && img.dataset.captchaId !== old;
    }, previous ?? null);
    return (await page.locator('#panel-sms img').getAttribute('data-captcha-id'))!;
  }

  /** Waits for the status to say something, then whether all of it is inside the viewport, as the visitor's screen shows it. */
  async function statusInView(page: Page, pattern: RegExp): Promise<boolean> {
    await page.locator('#sms-status').filter({ hasText: pattern }).waitFor();
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
    return page.evaluate(() => {
      const box = document.getElementById('sms-status')!.getBoundingClientRect();
      // Layout is in fractional pixels, scrolling in whole ones.
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight + 1;
    });
  }

  it('the captcha image has 2× pixels for its CSS size at device pixel ratio 2', async () => {
    const { page, close } = await open();
    try {
      const size = await page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('#panel-sms img')!;
        return { natural: img.naturalWidth, naturalHeight: img.naturalHeight, css: img.getBoundingClientRect().width };
      });
      assert.equal(size.css, 160);
      assert.ok(size.natural >= 2 * size.css, `natural ${size.natural} px for ${size.css} CSS px`);
      assert.equal(size.naturalHeight, 120);
    } finally {
      await close();
    }
  });

  it('a 1× screen gets the 1× image, and its smaller bytes', async () => {
    const { page, close } = await open({ deviceScaleFactor: 1, isMobile: false });
    try {
      assert.equal(await page.evaluate(() => document.querySelector<HTMLImageElement>('#panel-sms img')!.naturalWidth), 160);
    } finally {
      await close();
    }
  });

  it('a wrong captcha is said where the visitor looks, without scrolling', async () => {
    const { page, close } = await open();
    try {
      await page.fill('#sms-contact', '13912345678');
      await page.fill('#sms-answer', 'WRNG');
      await page.locator('#panel-sms .send').click();
      assert.ok(await statusInView(page, /did not match/), 'the message is on screen');
      await page.screenshot({ path: join(ARTIFACTS, 'phone-wrong-captcha.png') });
    } finally {
      await close();
    }
  });

  it('"code sent" is on screen, without scrolling', async () => {
    const { page, close } = await open();
    try {
      const id = await captchaId(page);
      await page.fill('#sms-contact', '139 1234 5679');
      await page.fill('#sms-answer', svc.answers.get(id)!);
      await page.locator('#panel-sms .send').click();
      const inView = await statusInView(page, /sent/i);
      await page.screenshot({ path: join(ARTIFACTS, 'phone-code-sent.png') });
      assert.ok(inView, `the message is on screen: ${JSON.stringify(await page.evaluate(() => [document.getElementById('sms-status')!.getBoundingClientRect().toJSON(), scrollY, innerHeight, document.activeElement?.id]))}`);
    } finally {
      await close();
    }
  });

  it('a mistyped number is refused in the page: the solved captcha is not spent', async () => {
    const { page, sends, close } = await open();
    try {
      const id = await captchaId(page);
      await page.fill('#sms-contact', '1391234567'); // one digit short
      await page.fill('#sms-answer', svc.answers.get(id)!);
      await page.locator('#panel-sms .send').click();
      assert.ok(await statusInView(page, /does not look like a mobile number/), 'the message is on screen');
      assert.deepEqual(sends, []);
      assert.equal(await page.locator('#panel-sms img').getAttribute('data-captcha-id'), id);
      assert.equal(await page.locator('#sms-contact').getAttribute('aria-invalid'), 'true');

      // Fixed, the same captcha still works.
      await page.fill('#sms-contact', '13912345670');
      await page.locator('#panel-sms .send').click();
      assert.ok(await statusInView(page, /sent/i));
      assert.equal(sends.length, 1);
    } finally {
      await close();
    }
  });

  it('in zh-CN too', async () => {
    const { page, close } = await open({ locale: 'zh-CN' });
    try {
      await page.fill('#sms-contact', '1391234567');
      await page.fill('#sms-answer', 'ABCD');
      await page.locator('#panel-sms .send').click();
      assert.ok(await statusInView(page, /手机号码格式不正确/));
      await page.screenshot({ path: join(ARTIFACTS, 'phone-zh-CN-bad-number.png') });
    } finally {
      await close();
    }
  });
});

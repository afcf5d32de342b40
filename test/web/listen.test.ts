// The demo page's "listen" button in real Chromium: it fetches an audio captcha, the browser
// decodes and plays the WAV clip under the page's CSP, the answer then goes to the clip's id, and
// the digits heard (typed with a space, as people do) pass a real send. Mandarin when the page is.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { renderAudioCaptcha } from '../../src/captcha/audio/render.ts';
import type { AudioLanguage } from '../../src/captcha/audio/voices.ts';
import { CHROMIUM, problemsOf, skipWithoutChromium } from '../helpers/chromium.ts';
import { SECRET, testService, type TestService } from '../helpers/service.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));

describe('the listen button in Chromium', { skip: skipWithoutChromium('the listen button in Chromium (test/web/listen.test.ts)') }, () => {
  let svc: TestService;
  let base: string;
  let persistent: BrowserContext;
  let browser: Browser;
  let userDataDir: string;

  before(async () => {
    svc = await testService({ VERIFYD_SECRET: SECRET, VERIFYD_SMS_IP_PER_MINUTE: '0' });
    base = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    userDataDir = mkdtempSync(join(tmpdir(), 'verifyd-chromium-'));
    persistent = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
    browser = persistent.browser()!;
  });
  after(async () => {
    await persistent?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await svc?.close();
  });

  async function open(locale: string): Promise<{ page: Page; problems: string[]; sms: Locator }> {
    const context = await browser.newContext({ locale, viewport: { width: 560, height: 900 } });
    const page = await context.newPage();
    const problems = problemsOf(page);
    await page.goto(base);
    const sms = page.locator('#panel-sms');
    await sms.locator('img[data-captcha-id]').waitFor();
    return { page, problems, sms };
  }

  /** Clicks listen and returns the clip's id, its bytes and what the browser decoded of it. */
  async function listen(sms: Locator, name: string) {
    await sms.getByRole('button', { name }).click();
    const audio = sms.locator('audio[data-captcha-id]');
    await audio.waitFor({ state: 'attached' });
    const id = (await audio.getAttribute('data-captcha-id'))!;
    const src = (await audio.getAttribute('src'))!;
    assert.match(src, /^data:audio\/wav;base64,/);
    // Decoded by the browser itself: a clip of several seconds that is not silence.
    const decoded = await audio.evaluate(async (el: HTMLAudioElement) => {
      // From the data URL by hand: the page's CSP lets fetch() reach only its own origin.
      const bytes = Uint8Array.from(atob(el.src.split(',')[1]!), (c) => c.charCodeAt(0)).buffer;
      const buffer = await new OfflineAudioContext(1, 8000, 8000).decodeAudioData(bytes);
      const data = buffer.getChannelData(0);
      let sum = 0;
      for (const x of data) sum += x * x;
      if (el.readyState < 1) await new Promise((resolve) => el.addEventListener('loadedmetadata', resolve, { once: true }));
      return { seconds: buffer.duration, rms: Math.sqrt(sum / data.length), elementSeconds: el.duration };
    });
    assert.ok(decoded.seconds > 3 && decoded.seconds < 12, `${decoded.seconds} s`);
    assert.ok(Math.abs(decoded.elementSeconds - decoded.seconds) < 0.1, 'the <audio> element loaded the same clip');
    assert.ok(decoded.rms > 0.02, `rms ${decoded.rms}`);
    return { id, clip: Buffer.from(src.split(',')[1]!, 'base64') };
  }

  const expectedClip = (id: string, language: AudioLanguage) =>
    renderAudioCaptcha(svc.answers.get(id)!, { language, seed: createHmac('sha256', SECRET).update(`audio\0${id}\0${svc.answers.get(id)!}`).digest() });

  it('plays six spoken digits, and the digits heard pass a send', async () => {
    const { page, problems, sms } = await open('en-US');
    const imageId = await sms.locator('img[data-captcha-id]').getAttribute('data-captcha-id');
    const { id, clip } = await listen(sms, 'Listen');
    assert.notEqual(id, imageId, 'the clip is a captcha of its own');
    assert.deepEqual(clip, expectedClip(id, 'en'), 'an English clip');
    assert.match(await sms.locator('.verifyd-captcha').getAttribute('class') ?? '', /verifyd-inactive/, 'the image is marked as no longer the one to answer');
    await sms.locator('[role=status]', { hasText: /six digits you hear/ }).waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'listen.png'), fullPage: true });

    const digits = svc.answers.get(id)!;
    await sms.getByLabel('Mobile number').fill(`139${String(Date.now()).slice(-8)}`);
    await sms.getByLabel('Characters in the image').fill(`${digits.slice(0, 3)} ${digits.slice(3)}`);
    await sms.getByRole('button', { name: 'Send code' }).click();
    await sms.locator('[role=status]', { hasText: /Code sent to/ }).waitFor();
    assert.equal(svc.answers.has(id), true);
    // After the send the widget is back on a fresh image.
    await page.waitForFunction(() => !document.querySelector('#panel-sms .verifyd-captcha')!.classList.contains('verifyd-inactive'));
    assert.deepEqual(problems, []);
  });

  it('speaks Mandarin on the Chinese page, and a second press replays the same clip', async () => {
    const { problems, sms } = await open('zh-CN');
    const { id, clip } = await listen(sms, '听语音');
    assert.deepEqual(clip, expectedClip(id, 'zh-CN'), 'a Mandarin clip');
    await sms.getByRole('button', { name: '听语音' }).click();
    assert.equal(await sms.locator('audio').getAttribute('data-captcha-id'), id, 'replayed, not replaced');
    assert.deepEqual(problems, []);
  });
});

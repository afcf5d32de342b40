// The email flow through HTTP with mail delivered to a real SMTP server, run against every store.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { BACKEND, type TestService } from '../helpers/service.ts';

let ipCounter = 0;
const freshIp = () => `198.19.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;
const freshAddress = () => `User.${randomBytes(4).toString('hex')}@Example.COM`;

export function emailFlowSuite(label: string, open: (env: Record<string, string>) => Promise<TestService>): void {
  describe(`email flow on ${label}`, () => {
    let smtp: TestSmtpServer;
    let svc: TestService;
    before(async () => {
      smtp = await startSmtpServer();
      svc = await open({ VERIFYD_SMTP_URL: smtp.url, VERIFYD_PUBLIC_URL: 'https://verify.example.org', VERIFYD_BRAND: 'Acme' });
    });
    after(async () => {
      await svc.close();
      await smtp.close();
    });

    const send = async (email: string, { ip = freshIp(), purpose = 'register', captcha, headers = {} }: { ip?: string; purpose?: string; captcha?: object | null; headers?: Record<string, string> } = {}) =>
      svc.app.inject({
        method: 'POST',
        url: '/v1/email/send',
        remoteAddress: ip,
        headers,
        payload: { email, purpose, ...(captcha === null ? {} : { captcha: captcha ?? (await svc.solvedCaptcha()) }) },
      });
    // The application back end's check: it may learn the attempts left.
    const check = (email: string, code: string, purpose = 'register') =>
      svc.app.inject({ method: 'POST', url: '/v1/email/check', remoteAddress: freshIp(), headers: BACKEND, payload: { email, purpose, code } });
    /** Waits for delivery and returns the code and confirm link from the mail that arrived. */
    const received = async (to: string) => {
      await svc.verifier.drain();
      const mail = smtp.mails.findLast((m) => m.envelope.to.includes(to));
      assert.ok(mail, `a mail to ${to} arrived`);
      const text = mail.parsed.text ?? '';
      const code = /\b(\d{6})\b/.exec(text)?.[1];
      const link = /(https:\/\/verify\.example\.org\/v1\/email\/confirm\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];
      assert.ok(code && link, 'the mail carries a code and a link');
      assert.ok((mail.parsed.html || '').includes(code), 'the HTML part carries the code too');
      return { code, link, mail };
    };

    it('sends one mail with a code that checks once', async () => {
      const address = freshAddress();
      const res = await send(address);
      assert.equal(res.statusCode, 202);
      assert.deepEqual(res.json(), { expires_in: 600 });
      const normalised = address.replace('Example.COM', 'example.com');
      const { code, mail } = await received(normalised);
      assert.match(String(mail.parsed.subject), /Acme/);
      assert.equal((await check(address, code)).json().valid, true);
      assert.deepEqual((await check(address, code)).json(), { valid: false, attempts_left: 0 });
    });

    it('picks the mail language from Accept-Language', async () => {
      const address = freshAddress().toLowerCase();
      await send(address, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
      const { mail } = await received(address);
      assert.match(mail.parsed.text ?? '', /[\u4e00-\u9fff]/);
    });

    it('the confirm link shows a page on GET and confirms only on POST, once', async () => {
      const address = freshAddress().toLowerCase();
      await send(address);
      const { link } = await received(address);
      const url = new URL(link);
      const token = url.searchParams.get('token')!;
      for (let i = 0; i < 2; i++) {
        const page = await svc.app.inject({ method: 'GET', url: url.pathname + url.search, headers: { 'accept-language': 'en' } });
        assert.equal(page.statusCode, 200, 'a GET (a mail scanner) never consumes the token');
        assert.match(page.headers['content-type'] as string, /^text\/html/);
        assert.ok(page.body.includes(`value="${token}"`));
        assert.match(page.body, /<form method="post"/);
      }
      assert.deepEqual((await svc.app.inject({ method: 'POST', url: '/v1/email/confirmed', headers: BACKEND, payload: { email: address, purpose: 'register' } })).json(), { confirmed: false });
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const first = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', headers: form, payload: `token=${token}` });
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /confirmed/i);
      const second = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', headers: form, payload: `token=${token}` });
      assert.equal(second.statusCode, 400);
      const after = await svc.app.inject({ method: 'GET', url: url.pathname + url.search });
      assert.equal(after.statusCode, 400, 'a used link shows the invalid page');
      // The app's back end learns of the confirmation exactly once.
      const confirmed = () => svc.app.inject({ method: 'POST', url: '/v1/email/confirmed', headers: BACKEND, payload: { email: address, purpose: 'register' } });
      assert.deepEqual((await confirmed()).json(), { confirmed: true });
      assert.deepEqual((await confirmed()).json(), { confirmed: false });
    });

    it('a JSON confirm answers JSON, and an unknown token is TOKEN_INVALID', async () => {
      const address = freshAddress().toLowerCase();
      await send(address);
      const token = new URL((await received(address)).link).searchParams.get('token');
      const ok = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', payload: { token } });
      const { receipt, ...confirmed } = ok.json();
      assert.deepEqual(confirmed, { confirmed: true, email: address, purpose: 'register' });
      assert.match(receipt, /^vr1\./);
      for (const bad of [token, 'x', randomBytes(32).toString('base64url')]) {
        const res = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', payload: { token: bad } });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.code, 'TOKEN_INVALID');
      }
    });

    it('requires a solved captcha by default', async () => {
      const res = await send(freshAddress(), { captcha: null });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'CAPTCHA_INVALID');
      const wrong = await send(freshAddress(), { captcha: { id: (await svc.solvedCaptcha()).id, answer: 'ZZZZ' } });
      assert.equal(wrong.json().error.code, 'CAPTCHA_INVALID');
    });

    it('refuses malformed addresses with INVALID_EMAIL', async () => {
      for (const bad of ['plainaddress', 'a@b', 'two@@example.com', 'x@-bad-.com', `${'a'.repeat(65)}@example.com`]) {
        const res = await send(bad);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().error.code, 'INVALID_EMAIL', bad);
      }
    });

    it('one send per address per 60 s, counted on the normalised address', async () => {
      const address = freshAddress();
      assert.equal((await send(address)).statusCode, 202);
      const again = await send(address.replace('Example.COM', 'example.com'));
      assert.equal(again.statusCode, 429);
      assert.equal(again.json().error.code, 'SEND_TOO_SOON');
      assert.ok(Number(again.headers['retry-after']) > 0);
    });

    it('five sends per address per hour, and per-IP limits', async () => {
      const address = freshAddress().toLowerCase();
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        await svc.store.delete(`verifyd:email:{${address}}:resend`);
        const res = await send(address);
        statuses.push(res.statusCode === 202 ? 202 : res.json().error.code);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 'SEND_LIMIT_RECIPIENT']);
      const ip = freshIp();
      const perIp = [];
      for (let i = 0; i < 6; i++) {
        const res = await send(freshAddress(), { ip });
        perIp.push(res.statusCode === 202 ? 202 : res.json().error.code);
      }
      assert.deepEqual(perIp, [202, 202, 202, 202, 202, 'SEND_LIMIT_IP']);
    });

    it('five wrong codes burn it, and concurrent right ones pass once', async () => {
      const address = freshAddress().toLowerCase();
      await send(address);
      const { code } = await received(address);
      const results = await Promise.all(Array.from({ length: 8 }, () => check(address, code)));
      assert.equal(results.filter((r) => r.json().valid).length, 1);

      const other = freshAddress().toLowerCase();
      await send(other);
      const second = (await received(other)).code;
      const wrong = second === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) await check(other, wrong);
      assert.deepEqual((await check(other, second)).json(), { valid: false, attempts_left: 0 });
    });

    it('the response does not wait for the mail server', async () => {
      // The same answer whether or not the address exists anywhere: sending happens afterwards.
      const res = await send(`nobody.${randomBytes(3).toString('hex')}@example.net`);
      assert.equal(res.statusCode, 202);
      assert.deepEqual(res.json(), { expires_in: 600 });
    });
  });
}

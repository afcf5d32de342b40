// Attack: spelling one mailbox many ways (`Victim@`, `victim+1@`, Gmail's dots, googlemail.com)
// so that each spelling gets its own resend slot, send counts, code, attempt count, lock and
// confirmation, and the mailbox gets flooded. Every spelling must count as the one mailbox,
// while the mail still goes to the address as typed.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { logEmailSender } from '../../src/senders/email/log.ts';
import { memoryStore } from '../../src/stores/memory.ts';
import { createVerifier } from '../../src/core/verifier.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { BACKEND, testService, type TestService } from '../helpers/service.ts';

let ipCounter = 0;
// A fresh client per request: the per-IP limits must not be what stops the flood.
const freshIp = () => `198.18.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;
const DAY = 86_400_000;

/** Spellings of one mailbox at example.com and at Gmail. */
function spellings(): { plain: string[]; gmail: string[] } {
  const name = `victim${randomBytes(3).toString('hex')}`;
  const dotted = `${name.slice(0, 1)}.${name.slice(1, 3)}.${name.slice(3)}`;
  return {
    plain: [`${name}@example.com`, `${name.toUpperCase()}@example.com`, `${name}+1@example.com`, `${name[0]!.toUpperCase()}${name.slice(1)}+news@Example.COM`, `${name}+x+y@EXAMPLE.com`],
    gmail: [`${name}@gmail.com`, `${dotted}@gmail.com`, `${name}+1@googlemail.com`, `${dotted.toUpperCase()}+z@GoogleMail.com`, `${name.slice(0, 2)}.${name.slice(2)}@googlemail.com`],
  };
}

describe('spellings of one mailbox over HTTP', () => {
  let smtp: TestSmtpServer;
  let svc: TestService;
  before(async () => {
    smtp = await startSmtpServer();
    svc = await testService({ VERIFYD_SMTP_URL: smtp.url, VERIFYD_PUBLIC_URL: 'https://verify.example.org' });
  });
  after(async () => {
    await svc.close();
    await smtp.close();
  });

  const send = async (email: string, purpose = 'register') =>
    svc.app.inject({ method: 'POST', url: '/v1/email/send', remoteAddress: freshIp(), payload: { email, purpose, captcha: await svc.solvedCaptcha() } });
  const check = (email: string, code: string, purpose = 'register') =>
    svc.app.inject({ method: 'POST', url: '/v1/email/check', remoteAddress: freshIp(), headers: BACKEND, payload: { email, purpose, code } });
  const mailsTo = async (addresses: string[]) => {
    await svc.verifier.drain();
    const lower = new Set(addresses.map((a) => a.toLowerCase()));
    return smtp.mails.filter((m) => m.envelope.to.some((to) => lower.has(to.toLowerCase())));
  };
  const lastMail = async (to: string) => {
    const [mail] = (await mailsTo([to])).slice(-1);
    assert.ok(mail, `a mail to ${to} arrived`);
    const text = mail.parsed.text ?? '';
    return { mail, code: /\b(\d{6})\b/.exec(text)![1]!, token: /token=([A-Za-z0-9_-]+)/.exec(text)![1]! };
  };

  for (const kind of ['plain', 'gmail'] as const) {
    it(`within a minute, only the first of five ${kind} spellings is sent; the rest are SEND_TOO_SOON`, async () => {
      const addresses = spellings()[kind];
      const outcomes = [];
      for (const address of addresses) {
        const res = await send(address);
        outcomes.push(res.statusCode === 202 ? 202 : res.json().error.code);
      }
      assert.deepEqual(outcomes, [202, 'SEND_TOO_SOON', 'SEND_TOO_SOON', 'SEND_TOO_SOON', 'SEND_TOO_SOON']);
      assert.equal((await mailsTo(addresses)).length, 1, 'one mail reached the mailbox');
    });
  }

  it('the mail goes to the address as typed, and another spelling checks its code', async () => {
    const tagged = spellings().plain[2]!;
    const typed = tagged.replace('@example.com', '@Example.com');
    assert.equal((await send(typed)).statusCode, 202);
    const { mail, code } = await lastMail(tagged);
    assert.deepEqual(mail.envelope.to, [tagged], 'delivered with its +tag, domain normalised');
    const bare = tagged.replace(/\+1@/, '@').toUpperCase();
    assert.equal((await check(bare, code)).json().valid, true);
  });

  it('wrong guesses under other spellings spend the one code', async () => {
    const { gmail } = spellings();
    assert.equal((await send(gmail[0]!, 'login')).statusCode, 202);
    const { code } = await lastMail(gmail[0]!);
    const wrong = code === '000000' ? '000001' : '000000';
    for (const spelling of gmail) await check(spelling, wrong, 'login');
    assert.deepEqual((await check(gmail[0]!, code, 'login')).json(), { valid: false, attempts_left: 0 }, 'five wrong guesses burned it');
  });

  it('a confirmation made through one spelling is taken once through any other', async () => {
    const { gmail } = spellings();
    const typed = gmail[3]!;
    assert.equal((await send(typed, 'reset_password')).statusCode, 202);
    const { token } = await lastMail(typed);
    const confirmed = await svc.app.inject({ method: 'POST', url: '/v1/email/confirm', payload: { token } });
    const { receipt: _receipt, ...answer } = confirmed.json();
    assert.deepEqual(answer, { confirmed: true, email: typed.replace('GoogleMail.com', 'googlemail.com'), purpose: 'reset_password' });
    const take = (email: string) => svc.app.inject({ method: 'POST', url: '/v1/email/confirmed', headers: BACKEND, payload: { email, purpose: 'reset_password' } });
    assert.deepEqual((await take(gmail[1]!)).json(), { confirmed: true });
    assert.deepEqual((await take(typed)).json(), { confirmed: false }, 'taken once, whatever the spelling');
  });
});

describe('spellings of one mailbox against the daily limit', () => {
  it('thirty sends through thirty spellings get the ten a mailbox is allowed', async () => {
    const sent: string[] = [];
    const store = memoryStore();
    const verifier = createVerifier({
      store,
      secret: randomBytes(32),
      email: {
        sender: logEmailSender({ write: (line) => sent.push(line), env: 'test' }),
        requireCaptcha: false,
        confirmLink: (token) => `https://verify.example.org/v1/email/confirm?token=${token}`,
        // No resend interval: the attack is on the daily count itself.
        limits: { resendAfterSeconds: 0, perRecipient: [{ max: 10, windowMs: DAY }] },
      },
    });
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const spelling = i === 0 ? 'victim@gmail.com' : `${'victim'.slice(0, 1 + (i % 5))}.${'victim'.slice(1 + (i % 5))}+${i}@${i % 2 ? 'gmail' : 'googlemail'}.com`;
      const outcome = await verifier.email!.send({ email: spelling, purpose: 'register' }).then(
        () => 'sent',
        (err: { code: string }) => err.code,
      );
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    await verifier.drain();
    await store.close();
    assert.deepEqual(outcomes, { sent: 10, SEND_LIMIT_RECIPIENT: 20 });
    assert.equal(sent.length, 10);
  });
});

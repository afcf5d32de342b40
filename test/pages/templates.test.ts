import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderEmail } from '../../src/pages/templates.ts';
import { PURPOSES, type EmailMessage, type Locale } from '../../src/core/types.ts';

const LOCALES: Locale[] = ['en', 'zh-CN'];

const base: EmailMessage = {
  to: 'alice@example.com',
  code: '907134',
  confirmUrl: 'https://verify.example.com/v1/email/confirm?token=t0k&next=%2F',
  purpose: 'register',
  ttlSeconds: 600,
  linkTtlSeconds: 3600,
  locale: 'en',
};

const LIFETIMES: Record<Locale, string> = {
  en: 'The code expires in 10 minutes; the link in 1 hour.',
  'zh-CN': '验证码 10 分钟内有效，链接 1 小时内有效。',
};
const IGNORE: Record<Locale, string> = {
  en: 'If you did not ask for this, ignore this mail',
  'zh-CN': '如果这不是你本人的操作，请忽略这封邮件',
};

describe('renderEmail', () => {
  for (const locale of LOCALES) {
    for (const purpose of PURPOSES) {
      test(`the ${purpose} mail in ${locale} carries the code, the link, the lifetimes and the ignore line in both parts`, () => {
        const { subject, text, html } = renderEmail({ ...base, purpose, locale });
        assert.ok(subject.includes('verifyd'), subject);
        assert.ok(!subject.includes(base.code), 'the code stays out of the subject');
        for (const part of [text, html]) {
          assert.ok(part.includes(base.code));
          assert.ok(part.includes(LIFETIMES[locale]));
          assert.ok(part.includes(IGNORE[locale]));
        }
        assert.ok(text.includes(base.confirmUrl));
        const escapedUrl = base.confirmUrl.replaceAll('&', '&amp;');
        assert.equal(html.split(`href="${escapedUrl}"`).length - 1, 2, 'the link is a button and a plain link');
        assert.ok(html.includes(`>${escapedUrl}</a>`), 'the link is also written out');
        assert.ok(html.includes(`<html lang="${locale}">`));
      });
    }
  }

  test('every purpose has its own subject in each locale', () => {
    for (const locale of LOCALES) {
      const subjects = new Set(PURPOSES.map((purpose) => renderEmail({ ...base, purpose, locale }).subject));
      assert.equal(subjects.size, PURPOSES.length);
    }
  });

  test('the brand appears in the subject and the mail', () => {
    const { subject, text, html } = renderEmail(base, { brand: 'Acme' });
    assert.equal(subject, 'Confirm your email address for Acme');
    assert.ok(text.includes('Acme'));
    assert.ok(html.includes('Acme'));
    assert.ok(!subject.includes('verifyd'));
  });

  test('everything interpolated into the HTML is escaped', () => {
    const { html, text } = renderEmail(
      { ...base, code: '<i>1</i>', confirmUrl: 'https://x.example/"><script>alert(1)</script>' },
      { brand: `<img src=x onerror="alert('b')">` },
    );
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<i>1</i>'));
    assert.ok(html.includes('&lt;i&gt;1&lt;/i&gt;'));
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(&#39;b&#39;)&quot;&gt;'));
    assert.ok(text.includes('<i>1</i>'), 'the text part is plain text, not escaped');
  });

  test('a brand with replacement patterns is inserted literally', () => {
    assert.equal(renderEmail(base, { brand: "$& $' $$" }).subject, "Confirm your email address for $& $' $$");
  });

  test('lifetimes that are not whole hours are given in minutes, and singulars are singular', () => {
    assert.ok(renderEmail({ ...base, ttlSeconds: 60, linkTtlSeconds: 5400 }).text.includes('The code expires in 1 minute; the link in 90 minutes.'));
    assert.ok(renderEmail({ ...base, ttlSeconds: 300, linkTtlSeconds: 7200 }).text.includes('The code expires in 5 minutes; the link in 2 hours.'));
    assert.ok(renderEmail({ ...base, locale: 'zh-CN', ttlSeconds: 90 }).text.includes('验证码 2 分钟内有效'));
  });

  test('a confirm link that is not an absolute http(s) URL is refused', () => {
    assert.throws(() => renderEmail({ ...base, confirmUrl: 'javascript:alert(1)' }), TypeError);
    assert.throws(() => renderEmail({ ...base, confirmUrl: '/v1/email/confirm?token=x' }), TypeError);
  });
});

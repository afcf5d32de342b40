import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pickLocale, renderConfirmPage } from '../../src/pages/confirm-page.ts';

describe('renderConfirmPage', () => {
  test('the confirm state has one POST form to /v1/email/confirm with the token hidden in it', () => {
    const html = renderConfirmPage({ state: 'confirm', token: 'tok_123' });
    assert.equal(html.match(/<form\b/g)?.length, 1);
    assert.ok(html.includes('<form method="post" action="/v1/email/confirm">'));
    assert.ok(html.includes('<input type="hidden" name="token" value="tok_123">'));
    assert.ok(html.includes('<button type="submit">Confirm my email address</button>'));
    assert.ok(html.includes('Opening the link does not confirm anything by itself'));
  });

  test('the page language follows the locale, in the lang attribute and the text', () => {
    const en = renderConfirmPage({ state: 'confirm', token: 't', locale: 'en' });
    const zh = renderConfirmPage({ state: 'confirm', token: 't', locale: 'zh-CN' });
    assert.ok(en.includes('<html lang="en">'));
    assert.ok(zh.includes('<html lang="zh-CN">'));
    assert.ok(zh.includes('>确认我的邮箱地址</button>'));
    assert.ok(zh.includes('仅打开此链接不会完成确认'));
  });

  test('the token and the brand are escaped', () => {
    const html = renderConfirmPage({ state: 'confirm', token: '"><script>x</script>', brand: '<b>Acme</b>' });
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<b>Acme</b>'));
    assert.ok(html.includes('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"'));
    assert.ok(html.includes('&lt;b&gt;Acme&lt;/b&gt;'));
  });

  test('the confirm state needs a token', () => {
    assert.throws(() => renderConfirmPage({ state: 'confirm' }), TypeError);
  });

  test('the done state says the address is confirmed and has no form', () => {
    const html = renderConfirmPage({ state: 'done', locale: 'en' });
    assert.ok(html.includes('Email address confirmed'));
    assert.ok(html.includes('You can close this page now.'));
    assert.ok(!html.includes('<form'));
    assert.ok(renderConfirmPage({ state: 'done', locale: 'zh-CN' }).includes('邮箱地址已确认'));
  });

  test('the done state links to the redirect URL when there is one', () => {
    const html = renderConfirmPage({ state: 'done', redirectUrl: 'https://app.example.com/welcome?a=1&b=2' });
    assert.ok(html.includes('href="https://app.example.com/welcome?a=1&amp;b=2"'));
    assert.ok(html.includes('>Continue</a>'));
    assert.ok(renderConfirmPage({ state: 'done', redirectUrl: '/welcome' }).includes('href="/welcome"'));
  });

  test('a redirect URL that is not http(s) or a path is refused', () => {
    assert.throws(() => renderConfirmPage({ state: 'done', redirectUrl: 'javascript:alert(1)' }), TypeError);
    assert.throws(() => renderConfirmPage({ state: 'done', redirectUrl: '//evil.example' }), TypeError);
  });

  test('the invalid state says the link is invalid, expired or already used', () => {
    const en = renderConfirmPage({ state: 'invalid', locale: 'en' });
    assert.ok(en.includes('The link is invalid, has expired or has already been used.'));
    assert.ok(!en.includes('<form'));
    assert.ok(renderConfirmPage({ state: 'invalid', locale: 'zh-CN' }).includes('此链接无效、已过期或已被使用。'));
  });

  test('the page is self-contained: no external scripts, styles, images or fonts', () => {
    for (const state of ['confirm', 'done', 'invalid'] as const) {
      const html = renderConfirmPage({ state, token: 't' });
      assert.ok(!/<script|<link|<img|@import|url\(/i.test(html), state);
      assert.ok(html.includes('<style>'));
    }
  });
});

describe('pickLocale', () => {
  const cases: Array<[string | undefined, 'en' | 'zh-CN']> = [
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['ZH-hk', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['fr-FR, zh;q=0.5', 'zh-CN'],
    ['fr-FR, de', 'en'],
    ['zh;q=0, en', 'en'],
    ['zh;q=0', 'en'],
    ['*', 'en'],
    ['zha', 'en'],
    ['zh;q=abc, en;q=0.1', 'en'],
    ['en;q=0.8, zh;q=0.8', 'en'],
  ];
  for (const [header, expected] of cases) {
    test(`Accept-Language ${JSON.stringify(header)} gives ${expected}`, () => {
      assert.equal(pickLocale(header), expected);
    });
  }
});

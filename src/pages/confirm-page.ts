// The page behind the confirm link. A GET only shows it; the address is confirmed by the POST of
// its one button, because mail scanners follow links. Self-contained: inline CSS, no assets.

import type { Locale } from '../core/types.ts';
import { escapeHtml } from './html.ts';

export { pickLocale } from './locale.ts';

/** Where the service serves this page (GET shows it, POST confirms). */
export const CONFIRM_PATH = '/v1/email/confirm';

/**
 * Builds confirm links on `publicUrl` (e.g. `https://verify.example.com`): the page's absolute
 * URL with the token as `?token=`. `path` is absolute, so it replaces any path of `publicUrl`.
 */
export function confirmLink(publicUrl: string, path = CONFIRM_PATH): (token: string) => string {
  const base = new URL(path, publicUrl);
  return (token) => {
    const url = new URL(base);
    url.searchParams.set('token', token);
    return url.href;
  };
}

export type ConfirmPageState = 'confirm' | 'done' | 'invalid';

export interface ConfirmPageOptions {
  /** The single-use token from the link; required in state `confirm`, posted back as `token`. */
  token?: string;
  locale?: Locale;
  /** The product name shown on the page. */
  brand?: string;
  state: ConfirmPageState;
  /** In state `done`: where to continue, an absolute http(s) URL or a path starting with `/`. */
  redirectUrl?: string;
  /** Where the form posts to. */
  action?: string;
}

interface PageCopy {
  confirm: { title: string; lead: string; button: string; why: string; ignore: string };
  done: { title: string; lead: string; next: string; continue: string };
  invalid: { title: string; lead: string; next: string };
}

const COPY: Record<Locale, PageCopy> = {
  en: {
    confirm: {
      title: 'Confirm your email address',
      lead: 'Press the button below to confirm your email address for {brand}.',
      button: 'Confirm my email address',
      why: 'Opening the link does not confirm anything by itself, because mail scanners open links too. Only the button does.',
      ignore: 'If you did not ask for this, just close this page.',
    },
    done: {
      title: 'Email address confirmed',
      lead: 'Thank you: your email address for {brand} is confirmed.',
      next: 'You can close this page now.',
      continue: 'Continue',
    },
    invalid: {
      title: 'This link cannot be used',
      lead: 'The link is invalid, has expired or has already been used.',
      next: 'Go back to where you started and ask for a new email.',
    },
  },
  'zh-CN': {
    confirm: {
      title: '确认你的邮箱地址',
      lead: '请点击下方按钮，确认你在 {brand} 使用的邮箱地址。',
      button: '确认我的邮箱地址',
      why: '仅打开此链接不会完成确认，因为邮件安全扫描程序也会打开链接；只有点击按钮才会确认。',
      ignore: '如果这不是你本人的操作，直接关闭此页面即可。',
    },
    done: {
      title: '邮箱地址已确认',
      lead: '谢谢，你在 {brand} 的邮箱地址已确认。',
      next: '现在可以关闭此页面。',
      continue: '继续',
    },
    invalid: {
      title: '此链接无法使用',
      lead: '此链接无效、已过期或已被使用。',
      next: '请回到你开始操作的页面，重新获取邮件。',
    },
  },
};

// Contrast on white: text #1f2937 ≈ 14.7:1, muted #4b5563 ≈ 7.6:1, white on #1d4ed8 ≈ 6.7:1 (AA needs 4.5:1).
const STYLE = `
*{box-sizing:border-box}
body{margin:0;padding:24px 12px;background:#f3f4f6;color:#1f2937;font:16px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,'PingFang SC','Microsoft YaHei',sans-serif}
main{max-width:480px;margin:40px auto;padding:32px 28px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
.brand{margin:0 0 16px;font-size:14px;font-weight:700;color:#374151}
h1{margin:0 0 16px;font-size:24px;line-height:1.3}
p{margin:0 0 16px}
.muted{font-size:14px;color:#4b5563}
form{margin:24px 0}
button,.button{display:inline-block;padding:12px 24px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;font:inherit;font-weight:700;text-decoration:none;cursor:pointer}
button:hover,.button:hover{background:#1e40af}
button:focus-visible,.button:focus-visible{outline:3px solid #1e3a8a;outline-offset:2px}
`;

/**
 * Renders the confirm page as one HTML string. `confirm` shows a single form that POSTs the token
 * (urlencoded) to `action`; `done` says the address is confirmed and, with `redirectUrl`, links
 * to it (the server redirects as well); `invalid` says the link is invalid, expired or used.
 * Throws a TypeError for state `confirm` without a token, or for a `redirectUrl` that is neither
 * an http(s) URL nor a path.
 */
export function renderConfirmPage({
  token = '',
  locale = 'en',
  brand = 'verifyd',
  state,
  redirectUrl,
  action = CONFIRM_PATH,
}: ConfirmPageOptions): string {
  const e = escapeHtml;
  const withBrand = (s: string) => e(s).replaceAll('{brand}', () => e(brand));
  const copy = COPY[locale];
  let title: string;
  let body: string;

  if (state === 'confirm') {
    if (token === '') throw new TypeError('renderConfirmPage: state "confirm" needs a token');
    const c = copy.confirm;
    title = c.title;
    body = `<h1>${e(c.title)}</h1>
<p>${withBrand(c.lead)}</p>
<form method="post" action="${e(action)}">
<input type="hidden" name="token" value="${e(token)}">
<button type="submit">${e(c.button)}</button>
</form>
<p class="muted">${e(c.why)}</p>
<p class="muted">${e(c.ignore)}</p>`;
  } else if (state === 'done') {
    const c = copy.done;
    title = c.title;
    const next = redirectUrl === undefined
      ? `<p class="muted">${e(c.next)}</p>`
      : `<p><a class="button" href="${e(checkRedirect(redirectUrl))}">${e(c.continue)}</a></p>`;
    body = `<h1>${e(c.title)}</h1>
<p>${withBrand(c.lead)}</p>
${next}`;
  } else {
    const c = copy.invalid;
    title = c.title;
    body = `<h1>${e(c.title)}</h1>
<p>${e(c.lead)}</p>
<p class="muted">${e(c.next)}</p>`;
  }

  return `<!DOCTYPE html>
<html lang="${e(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'">
<title>${e(title)} · ${e(brand)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">${e(brand)}</p>
${body}
</main>
</body>
</html>
`;
}

function checkRedirect(url: string): string {
  if (/^\/(?![/\\])/.test(url)) return url;
  try {
    const { protocol } = new URL(url);
    if (protocol === 'https:' || protocol === 'http:') return url;
  } catch {
    // falls through to the error below
  }
  throw new TypeError('redirectUrl must be an absolute http(s) URL or a path starting with "/"');
}

// The verification mail itself: subject, plain-text part and HTML part for every purpose and
// locale. Senders call renderEmail and only transport the result.

import type { EmailMessage } from '../core/types.ts';
import { formatDuration } from './duration.ts';
import { EMAIL_COPY } from './email-copy.ts';
import { escapeHtml } from './html.ts';

export interface RenderEmailOptions {
  /** The product name shown in the subject and the mail. */
  brand?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,'PingFang SC','Microsoft YaHei',sans-serif";
const MONO = "Menlo,Consolas,'Courier New',monospace";

/**
 * Renders the mail for `message`: both parts carry the code, the confirm link and both
 * lifetimes, and tell the reader to ignore the mail if they did not ask for it. Everything
 * interpolated into the HTML is escaped. Throws a TypeError when `confirmUrl` is not an
 * absolute http(s) URL, since a mail with a broken or `javascript:` link must not go out.
 */
export function renderEmail(message: EmailMessage, { brand = 'verifyd' }: RenderEmailOptions = {}): RenderedEmail {
  const { code, confirmUrl, purpose, ttlSeconds, linkTtlSeconds, locale } = message;
  assertHttpUrl(confirmUrl);
  const copy = EMAIL_COPY[locale];
  const withBrand = (s: string) => s.replaceAll('{brand}', () => brand);
  const subject = withBrand(copy.purposes[purpose].subject);
  const intro = withBrand(copy.purposes[purpose].intro);
  const expiry = copy.expiry(formatDuration(ttlSeconds, locale), formatDuration(linkTtlSeconds, locale));

  const text = [intro, '', `    ${code}`, '', copy.linkIntro, confirmUrl, '', expiry, '', copy.ignore, '', brand, ''].join('\n');

  const e = escapeHtml;
  const url = e(confirmUrl);
  const html = `<!DOCTYPE html>
<html lang="${e(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:480px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:32px 28px;font-family:${FONT};font-size:16px;line-height:1.5;color:#1f2937;">
<p style="margin:0 0 16px;font-size:14px;font-weight:bold;color:#374151;">${e(brand)}</p>
<p style="margin:0 0 16px;">${e(intro)}</p>
<p style="margin:0 0 24px;font-family:${MONO};font-size:32px;font-weight:bold;letter-spacing:6px;color:#111827;">${e(code)}</p>
<p style="margin:0 0 16px;">${e(copy.linkIntro)}</p>
<p style="margin:0 0 24px;"><a href="${url}" style="display:inline-block;padding:12px 24px;background-color:#1d4ed8;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px;">${e(copy.button)}</a></p>
<p style="margin:0 0 8px;font-size:14px;color:#4b5563;">${e(copy.linkFallback)}</p>
<p style="margin:0 0 24px;font-size:14px;word-break:break-all;"><a href="${url}" style="color:#1d4ed8;">${url}</a></p>
<p style="margin:0 0 16px;">${e(expiry)}</p>
<p style="margin:0;font-size:14px;color:#4b5563;">${e(copy.ignore)}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

  return { subject, text, html };
}

function assertHttpUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('confirmUrl must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('confirmUrl must be an absolute http(s) URL');
}

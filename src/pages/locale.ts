// Choosing the page language from the browser's Accept-Language header.

import type { Locale } from '../core/types.ts';

/**
 * Picks the supported locale the browser prefers most: languages are taken in order of their
 * q-value (ties keep header order, `q=0` means "not this one"); the first `zh` or `zh-*` gives
 * `zh-CN` and the first `en` or `en-*` gives `en`. Anything else, a missing header included,
 * falls back to `en`.
 *
 * `pickLocale('fr-FR, zh-TW;q=0.8, en;q=0.5')` → `'zh-CN'`.
 */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';').map((s) => s.trim());
      const qParam = params.find((p) => /^q=/i.test(p));
      const q = qParam === undefined ? 1 : parseQuality(qParam.slice(2));
      return { tag: tag.toLowerCase(), q, index };
    })
    .filter(({ tag, q }) => tag !== '' && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);

  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

// RFC 9110 qvalue: 0 to 1 with up to three decimals; anything malformed counts as 0 (ignored).
function parseQuality(value: string): number {
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value.trim())) return 0;
  return Number(value);
}

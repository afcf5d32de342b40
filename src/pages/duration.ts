// Lifetimes in words for the mail templates: "10 minutes", "1 hour", "10 分钟", "1 小时".

import type { Locale } from '../core/types.ts';

/**
 * Whole hours when the lifetime is a multiple of an hour, otherwise minutes rounded up, at least
 * one. Lifetimes are normally whole minutes, so the rounding only matters for odd settings.
 */
export function formatDuration(seconds: number, locale: Locale): string {
  const hours = seconds / 3600;
  if (Number.isInteger(hours) && hours > 0) {
    return locale === 'zh-CN' ? `${hours} 小时` : `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  }
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return locale === 'zh-CN' ? `${minutes} 分钟` : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

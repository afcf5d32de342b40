// Where the browser tests find Chromium, and how they skip when it is missing: loudly, on
// standard error, so a green run without browser tests is not mistaken for a full one.

import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The `skip` option for a browser suite: false when Chromium is installed; otherwise the reason,
 * after printing a banner naming the suite and how to install Chromium.
 */
export function skipWithoutChromium(suite: string): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`;
  process.stderr.write(`\n${'!'.repeat(72)}\n!! SKIPPED: ${suite}\n!! ${reason}\n${'!'.repeat(72)}\n\n`);
  return reason;
}

/**
 * What goes wrong on `page` from now on: its console errors (CSP violations included) and page
 * errors. Chromium logs every 4xx of the API as an error; the pages handle those, so they do not count.
 */
export function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    const expected = msg.text().startsWith('Failed to load resource') && msg.location().url.includes('/v1/');
    if (msg.type() === 'error' && !expected) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

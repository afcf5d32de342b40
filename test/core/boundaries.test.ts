// The core's boundary: src/core/ imports nothing from the HTTP layer, the configuration, the
// senders, the pages or the service wiring, only the captcha renderer, the Store interface and
// the error table. A newcomer can then read the core without the rest.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CORE = join(SRC, 'core');
const ALLOWED = [/^core\//, /^captcha\//, /^stores\/store\.ts$/, /^errors\.ts$/];

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));

test('the core imports only itself, the captcha renderer, the Store interface and the error table', () => {
  const outside: string[] = [];
  for (const file of files(CORE)) {
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/\bfrom\s+'(\.[^']+)'/g)) {
      const target = relative(SRC, resolve(dirname(file), specifier!));
      if (!ALLOWED.some((pattern) => pattern.test(target))) outside.push(`${relative(SRC, file)} -> ${target}`);
    }
  }
  assert.deepEqual(outside, []);
});

test('the core names no route: links and paths come from the door that serves them', () => {
  const routes = files(CORE).filter((file) => /['`]\/v1\//.test(readFileSync(file, 'utf8')));
  assert.deepEqual(routes.map((file) => relative(SRC, file)), []);
});

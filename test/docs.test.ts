// Keeps the docs true: every error code has a row in docs/errors.md, every option a line in
// the README's configuration block.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { OPTIONS } from '../src/config.ts';
import { ERRORS } from '../src/errors.ts';
import { optionsBlock } from '../scripts/readme-options.ts';

it('docs/errors.md lists every error code with its status', async () => {
  const doc = await readFile('docs/errors.md', 'utf8');
  for (const [code, { status }] of Object.entries(ERRORS)) {
    assert.match(doc, new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`), code);
  }
});

it('the README options block is the one npm run readme:options writes from OPTIONS', async () => {
  const readme = await readFile('README.md', 'utf8');
  assert.ok(readme.includes(optionsBlock()), 'README.md options block is stale: run npm run readme:options');
});

it('the README documents every option with its flag and environment variable', async () => {
  const readme = await readFile('README.md', 'utf8');
  for (const spec of Object.values(OPTIONS)) {
    assert.ok(readme.includes(`--${spec.flag}`), `--${spec.flag}`);
    assert.ok(readme.includes(spec.env), spec.env);
  }
});

// The libjpeg-turbo binding verifyd ships (vendor/jpeg-turbo/) is @julusian/jpeg-turbo's, unchanged.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import upstream from '@julusian/jpeg-turbo';
import { drawCaptcha } from '../../src/captcha/draw.ts';
import { encodeJpeg } from '../../src/captcha/encode.ts';
import { Random } from '../../src/captcha/random.ts';
import { DEFAULT_STYLE } from '../../src/captcha/style.ts';

const vendored = fileURLToPath(new URL('../../vendor/jpeg-turbo/prebuilds/', import.meta.url));
const source = join(dirname(createRequire(import.meta.url).resolve('@julusian/jpeg-turbo/package.json')), 'prebuilds');

function digests(root: string): Record<string, string> {
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(files.map((f) => [relative(root, join(f.parentPath, f.name)), createHash('sha256').update(readFileSync(join(f.parentPath, f.name))).digest('hex')]));
}

describe('the vendored libjpeg-turbo binding', () => {
  it('holds the same files as the @julusian/jpeg-turbo package that package-lock.json pins', () => {
    const theirs = digests(source);
    assert.ok(Object.keys(theirs).length >= 9, 'one prebuilt binary per platform at least');
    assert.deepEqual(digests(vendored), theirs);
  });

  it('encodes a captcha to the same bytes as the package does', () => {
    for (const [width, height, quality] of [[160, 60, 75], [333, 101, 90], [40, 20, 1]] as const) {
      const pixels = Buffer.from(drawCaptcha('H7KX', width, height, new Random(width), DEFAULT_STYLE));
      const options = { format: upstream.FORMAT_RGBX, width, height, quality, subsampling: upstream.SAMP_420 };
      const theirs = Buffer.from(upstream.compressSync(pixels, options));
      assert.ok(encodeJpeg(pixels, width, height, quality).equals(theirs), `${width}×${height} q${quality}`);
    }
  });
});

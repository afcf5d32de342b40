// Copies libjpeg-turbo's prebuilt Node-API binaries out of the @julusian/jpeg-turbo devDependency
// into vendor/jpeg-turbo/, which the package ships and src/captcha/jpeg-turbo.ts loads. As a
// runtime dependency that package brings cmake-js and about 80 more packages (needed only to
// build from source, which its own prebuilt binaries make unnecessary) and an install script to
// approve; shipped this way, a service install needs neither. `npm run prepare` runs this; the
// version and its integrity are the ones package-lock.json pins.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
let source: string;
try {
  source = dirname(require.resolve('@julusian/jpeg-turbo/package.json'));
} catch (err) {
  throw new Error('vendor-jpeg-turbo: @julusian/jpeg-turbo is not installed; run `npm ci` (it is a devDependency)', { cause: err });
}
const { version, license } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string; license: string };
const target = fileURLToPath(new URL('../vendor/jpeg-turbo/', import.meta.url));
if (!existsSync(join(source, 'prebuilds'))) throw new Error(`vendor-jpeg-turbo: @julusian/jpeg-turbo ${version} ships no prebuilds/`);

const notice =
  `prebuilds/ holds the prebuilt binaries of @julusian/jpeg-turbo ${version} (${license}, see LICENSE),\n` +
  'copied unchanged by scripts/vendor-jpeg-turbo.ts. They contain libjpeg-turbo (IJG License,\n' +
  'Modified BSD License and zlib License): this software is based in part on the work of the\n' +
  'Independent JPEG Group.\n';

// Already there (a rebuild, `npm pack`): leave the files alone, since a running process may be
// loading them; a vendor/ that is being replaced has a moment with no binary in it.
if (existsSync(join(target, 'NOTICE')) && readFileSync(join(target, 'NOTICE'), 'utf8') === notice && existsSync(join(target, 'prebuilds'))) {
  process.stdout.write(`vendor-jpeg-turbo: @julusian/jpeg-turbo ${version} prebuilds already in vendor/jpeg-turbo/\n`);
} else {
  rmSync(target, { recursive: true, force: true });
  cpSync(join(source, 'prebuilds'), join(target, 'prebuilds'), { recursive: true });
  cpSync(join(source, 'LICENSE'), join(target, 'LICENSE'));
  writeFileSync(join(target, 'NOTICE'), notice);
  process.stdout.write(`vendor-jpeg-turbo: @julusian/jpeg-turbo ${version} prebuilds copied to vendor/jpeg-turbo/\n`);
}

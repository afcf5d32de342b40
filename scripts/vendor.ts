// Copies files the package ships out of devDependencies into vendor/, so that an install of
// verifyd needs neither package: libjpeg-turbo's prebuilt Node-API binaries from
// @julusian/jpeg-turbo (vendor/jpeg-turbo/, loaded by src/captcha/jpeg-turbo.ts; as a runtime
// dependency that package brings cmake-js and about 80 more packages, needed only to build from
// source, and an install script to approve), and the ALTCHA widget's browser files from altcha
// (vendor/altcha/, served by src/http/routes/web.ts; as a dependency it brings its server library
// and hash-wasm, which verifyd does not run). `npm run build` runs this; the versions and their
// integrity are the ones package-lock.json pins.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Vendored {
  /** The devDependency the files come from. */
  readonly from: string;
  /** The folder under vendor/. */
  readonly into: string;
  /** Paths inside the package, copied to the same paths under vendor/<into>/. */
  readonly paths: readonly string[];
  /** The package's licence file, copied as LICENSE. */
  readonly licence: string;
  /** What the files are, for vendor/<into>/NOTICE. */
  readonly notice: (version: string, license: string) => string;
}

const VENDORED: readonly Vendored[] = [
  {
    from: '@julusian/jpeg-turbo',
    into: 'jpeg-turbo',
    paths: ['prebuilds'],
    licence: 'LICENSE',
    notice: (version, license) =>
      `prebuilds/ holds the prebuilt binaries of @julusian/jpeg-turbo ${version} (${license}, see LICENSE),\n` +
      'copied unchanged by scripts/vendor.ts. They contain libjpeg-turbo (IJG License,\n' +
      'Modified BSD License and zlib License): this software is based in part on the work of the\n' +
      'Independent JPEG Group.\n',
  },
  {
    from: 'altcha',
    into: 'altcha',
    // The "external" build (no inline workers or styles, so it runs under a strict CSP), its
    // style sheet and the two workers verifyd's challenges use.
    paths: ['dist/external/altcha.min.js', 'dist/external/altcha.css', 'dist/workers/pbkdf2.js', 'dist/workers/sha.js'],
    licence: 'LICENSE.txt',
    notice: (version, license) =>
      `dist/ holds four files of the ALTCHA widget, the npm package altcha ${version} (${license}, see\n` +
      'LICENSE; https://altcha.org), copied unchanged by scripts/vendor.ts.\n',
  },
];

// The package's folder where Node would look for it (altcha's `exports` hide its package.json).
const require = createRequire(import.meta.url);
function packageDir(name: string): string {
  const dir = (require.resolve.paths(name) ?? []).map((modules) => join(modules, name)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`vendor: ${name} is not installed; run \`npm ci\` (it is a devDependency)`);
  return dir;
}

for (const { from, into, paths, licence, notice } of VENDORED) {
  const source = packageDir(from);
  const { version, license } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string; license: string };
  const target = fileURLToPath(new URL(`../vendor/${into}/`, import.meta.url));
  const missing = paths.filter((path) => !existsSync(join(source, path)));
  if (missing.length) throw new Error(`vendor: ${from} ${version} ships no ${missing.join(', ')}`);
  const text = notice(version, license);

  // Already there (a rebuild, `npm pack`): leave the files alone, since a running process may be
  // loading them; a vendor/ that is being replaced has a moment with no file in it.
  const noticeFile = join(target, 'NOTICE');
  if (existsSync(noticeFile) && readFileSync(noticeFile, 'utf8') === text && paths.every((path) => existsSync(join(target, path)))) {
    process.stdout.write(`vendor: ${from} ${version} already in vendor/${into}/\n`);
    continue;
  }
  rmSync(target, { recursive: true, force: true });
  for (const path of paths) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    cpSync(join(source, path), join(target, path), { recursive: true });
  }
  cpSync(join(source, licence), join(target, 'LICENSE'));
  writeFileSync(noticeFile, text);
  process.stdout.write(`vendor: ${from} ${version} copied to vendor/${into}/\n`);
}

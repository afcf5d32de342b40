// Loads libjpeg-turbo's Node-API binding for this platform from vendor/jpeg-turbo/, where the build
// copies @julusian/jpeg-turbo's prebuilt binaries (scripts/vendor.ts).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface JpegOptions {
  format: number;
  width: number;
  height: number;
  quality: number;
  subsampling: number;
}

/** The part of the binding verifyd uses (its full surface: @julusian/jpeg-turbo's module.d.ts). */
export interface JpegTurbo {
  readonly FORMAT_RGBX: number;
  readonly SAMP_420: number;
  /** The worst-case size of one encoded image: `out` must have at least this many bytes. */
  bufferSize(options: Pick<JpegOptions, 'width' | 'height' | 'subsampling'>): number;
  /** Encodes `raw` into `out`; the JPEG is the first `size` bytes of `data`, which is `out`. */
  compressSync(raw: Buffer, out: Buffer, options: JpegOptions): { data: Buffer; size: number };
}

const prebuilds = fileURLToPath(new URL('../../vendor/jpeg-turbo/prebuilds/', import.meta.url));
// Named as @julusian/jpeg-turbo's loader (pkg-prebuilds) names them: its musl build is for Alpine.
const musl = process.platform === 'linux' && existsSync('/etc/alpine-release');
const platform = `jpeg-turbo-${process.platform}-${process.arch}${musl ? '-musl' : ''}`;

function load(): JpegTurbo {
  if (!existsSync(prebuilds)) {
    throw new Error(`libjpeg-turbo is missing: ${prebuilds} does not exist; in a checkout, \`npm ci\` copies it there (npm run prepare)`);
  }
  const file = `${prebuilds}${platform}/node-napi-v7.node`;
  if (!existsSync(file)) {
    throw new Error(`libjpeg-turbo has no prebuilt binary for ${platform}; there are: ${readdirSync(prebuilds).join(', ')}`);
  }
  return createRequire(import.meta.url)(file) as JpegTurbo;
}

/** The binding, loaded when this module is first imported: a platform without one fails at start-up. */
export const jpegTurbo: JpegTurbo = load();

// Encodes RGBX pixels (4 bytes each, the 4th ignored) as JPEG (libjpeg-turbo, synchronous), PNG (png.ts) or WebP (sharp, asynchronous).
import { VerifyError } from '../errors.ts';
import { jpegTurbo } from './jpeg-turbo.ts';
import { encodePng } from './png.ts';

export { encodePng };

let jpegOut = Buffer.alloc(0);

/** Encodes `width` × `height` RGBX pixels as a baseline JPEG (4:2:0) into a new Buffer. */
export function encodeJpeg(rgbx: Buffer, width: number, height: number, quality: number): Buffer {
  const options = { format: jpegTurbo.FORMAT_RGBX, width, height, quality, subsampling: jpegTurbo.SAMP_420 };
  const size = jpegTurbo.bufferSize(options);
  if (jpegOut.length < size) jpegOut = Buffer.alloc(size);
  // The worst-case output buffer is far larger than the image: encode into scratch, return a copy.
  const { data, size: length } = jpegTurbo.compressSync(rgbx, jpegOut, options);
  return Buffer.from(data.subarray(0, length));
}

type Sharp = (typeof import('sharp'))['default'];
let sharp: Promise<Sharp> | undefined;

/**
 * Loads sharp, an optional peer dependency that only WebP needs, on the first call (it adds about
 * 25 MB to a process that never encodes WebP). Rejects with WEBP_UNAVAILABLE when it is not
 * installed or does not load; the failure is remembered until the process restarts.
 */
export function loadWebpEncoder(): Promise<Sharp> {
  sharp ??= import('sharp').then(
    (module) => module.default,
    (err: unknown) => {
      throw new VerifyError('WEBP_UNAVAILABLE', { cause: err });
    },
  );
  return sharp;
}

/**
 * Encodes `width` × `height` RGBX pixels as a lossy WebP. `rgbx` is copied before this returns,
 * so the caller may reuse it at once. Rejects with WEBP_UNAVAILABLE without sharp.
 */
export async function encodeWebp(rgbx: Buffer, width: number, height: number, quality: number): Promise<Buffer> {
  const copy = Buffer.from(rgbx);
  return (await loadWebpEncoder())(copy, { raw: { width, height, channels: 4 } }).removeAlpha().webp({ quality }).toBuffer();
}

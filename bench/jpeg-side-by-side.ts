// The JPEG encoder before and after vendoring, side by side in one process: @julusian/jpeg-turbo
// loaded as a package (how verifyd 0.1.0 encoded) against the vendored binding in
// src/captcha/encode.ts. Alternating rounds on one core; prints per-core rates (images per second
// of this process's CPU time, which other processes on a shared machine disturb less than the
// wall clock) and their ratio.
//
//   node --import tsx bench/jpeg-side-by-side.ts [rounds=5] [ms per round=1000]
import upstream from '@julusian/jpeg-turbo';
import { randomText } from '../src/captcha/alphabet.ts';
import { drawCaptcha } from '../src/captcha/draw.ts';
import { encodeJpeg } from '../src/captcha/encode.ts';
import { Random } from '../src/captcha/random.ts';
import { DEFAULT_STYLE } from '../src/captcha/style.ts';

const rounds = Number(process.argv[2] ?? 5);
const ms = Number(process.argv[3] ?? 1000);
const [W, H, Q] = [160, 60, 75];

// verifyd 0.1.0's encodeJpeg, verbatim but for the import.
let scratch = Buffer.alloc(0);
function packageEncodeJpeg(rgbx: Buffer, width: number, height: number, quality: number): Buffer {
  const options = { format: upstream.FORMAT_RGBX, width, height, quality, subsampling: upstream.SAMP_420 };
  const size = upstream.bufferSize(options);
  if (scratch.length < size) scratch = Buffer.alloc(size);
  return Buffer.from(upstream.compressSync(rgbx, scratch, options));
}

function rate(fn: () => unknown): number {
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() < start + ms) {
    for (let k = 0; k < 16; k++) fn();
    n += 16;
  }
  const { user, system } = process.cpuUsage(cpu);
  return (n * 1e6) / (user + system);
}

const pixels = Buffer.from(drawCaptcha('ABCD', W, H, new Random(1), DEFAULT_STYLE));
const captcha = (encode: typeof encodeJpeg) => () => encode(drawCaptcha(randomText(4), W, H, new Random(), DEFAULT_STYLE), W, H, Q);
const loops = {
  'encode only, package': () => packageEncodeJpeg(pixels, W, H, Q),
  'encode only, vendored': () => encodeJpeg(pixels, W, H, Q),
  'captcha (draw + encode), package': captcha(packageEncodeJpeg),
  'captcha (draw + encode), vendored': captcha(encodeJpeg),
};
const rates: Record<string, number[]> = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
for (const fn of Object.values(loops)) rate(fn); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(loops)) rates[name]!.push(rate(fn));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const line = (name: string) => `${name.padEnd(36)} ${Math.round(median(rates[name]!)).toLocaleString('en').padStart(7)}/s  (rounds: ${rates[name]!.map(Math.round).join(', ')})`;
for (const name of Object.keys(loops)) process.stdout.write(line(name) + '\n');
for (const what of ['encode only', 'captcha (draw + encode)']) {
  const ratio = median(rates[`${what}, vendored`]!) / median(rates[`${what}, package`]!);
  process.stdout.write(`${what}: vendored / package = ${ratio.toFixed(3)}\n`);
}

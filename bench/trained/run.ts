// npm run strength -- --trained [--quick] [--kinds=text,math,chinese]: how often a small neural
// network trained on labelled captchas solves verifyd's, for the attacks that matter (see README,
// "Strength"), per captcha kind:
//
// - same style: trained on one deployment's images, tested on new ones of it;
// - next period: the same model on that deployment's next style period (--captcha-style-period),
//   and on the period after it, which draws from the same faces and stroke family again;
// - open code: trained on images of 200 random secrets (what anyone can make from the public code
//   and the bundled fonts), tested on a deployment whose secret it never saw; for text captchas
//   also on that deployment with fonts of its own (--captcha-fonts; here Debian's DejaVu and
//   Liberation faces, which verifyd does not ship);
// - same style with own fonts (text; full run only, or --all): trained on that deployment's images;
// - two periods (text; full run only, or --all): trained on two of its periods in a row, half the
//   images each, tested on the two periods after them (what labelling twice is worth).
//
// bench/trained/render.ts draws the images (JPEG as served, grayscale); bench/trained/solver.py
// trains the model with Debian's python3-torch, CPU only, seeded, a fixed number of steps. Full:
// 20,000 training images, 2,700 steps of 32, 1,000 test images per figure (about 20 minutes a model
// on one free core; the models train side by side: 8 for the three kinds), kinds text, math and
// chinese. --quick: 4,000 images, 400 steps, 300 tests, text only, under 5 minutes. Prints one
// `trained:` line per figure and writes bench/results/trained.json (trained-quick.json for
// --quick). --same-style-only trains only the same-style models (same style and next period;
// trained-same-style.json or trained-quick-same-style.json), to compare renderer changes.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.argv.includes('--quick');
const sameOnly = process.argv.includes('--same-style-only');
const all = (process.argv.includes('--all') || !quick) && !sameOnly;
const SIZE = quick ? { train: 4000, steps: 400, test: 300 } : { train: 20000, steps: 2700, test: 1000 };
const PYTHON = process.env.VERIFYD_PYTHON ?? '/usr/bin/python3';
// Two deployments' secrets, and the period the attacker labelled.
const SECRET_A = 'deployment A: 6f1d0c5e9a7b4e28b3f1a0d9c8e7f6a5';
const PERIOD = 2900;
const OWN_FONTS = ['dejavu/DejaVuSerif-Bold.ttf', 'liberation/LiberationSansNarrow-Bold.ttf', 'liberation/LiberationSans-Bold.ttf'];

// Debian's torch, the faces standing in for an operator's own, and OpenBLAS (the reference BLAS
// Debian's torch falls back to made a step several times slower).
const ensure = spawnSync('bash', [
  join(ROOT, 'scripts/ensure-packages.sh'),
  'python3.torch:python3-torch',
  '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf:fonts-dejavu-core',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf:fonts-liberation',
  '/usr/share/doc/libopenblas0-pthread:libopenblas0-pthread',
], { stdio: 'inherit' });
if (ensure.status !== 0) process.exit(2);

const work = mkdtempSync(join(tmpdir(), 'verifyd-trained-'));
const fontDir = join(work, 'own-fonts');
mkdirSync(fontDir);
for (const f of OWN_FONTS) {
  const path = `/usr/share/fonts/truetype/${f}`;
  if (!existsSync(path)) throw new Error(`trained: ${path} is missing; apt-get install fonts-dejavu-core fonts-liberation`);
  copyFileSync(path, join(fontDir, f.split('/')[1]!));
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '15', cmd, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

const render = (name: string, count: number, seed: number, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bench/trained/render.ts', '--out', join(work, name), '--count', String(count), '--seed', String(seed), ...args]).then(() => join(work, name));

interface Figure {
  name: string;
  trainedOn: string;
  testedOn: string;
}
type Kind = 'text' | 'math' | 'chinese';
const kindArg = process.argv.find((a) => a.startsWith('--kinds='))?.slice('--kinds='.length);
const kinds = (kindArg ?? (quick ? 'text' : 'text,math,chinese')).split(',') as Kind[];
for (const k of kinds) if (!['text', 'math', 'chinese'].includes(k)) throw new Error(`trained: unknown kind ${k} (text, math, chinese)`);
const started = Date.now();

// Training sets and test sets per kind; seeds differ, so no test image was seen in training. Own
// fonts draw Latin letters and digits only, so they are measured on text captchas alone.
interface Sets {
  kind: Kind;
  trainA: string;
  trainOpen: string;
  trainOwn: string;
  testA: string;
  testNext: string;
  testAfterNext: string;
  testOwn: string;
  trainTwo: string;
  testThird: string;
}
const renderKind = async (kind: Kind, k: number): Promise<Sets> => {
  const tag = (name: string) => `${name}-${kind}`;
  const seed = (n: number) => 10 * k + n;
  const type = ['--type', kind];
  const own = kind === 'text';
  const [trainA, trainOpen, testA, testNext, testAfterNext, testOwn, trainOwn, trainTwo, testThird] = await Promise.all([
    render(tag('train-a'), SIZE.train, seed(1), ...type, '--secret', SECRET_A, '--period', String(PERIOD)),
    sameOnly ? Promise.resolve('') : render(tag('train-open'), SIZE.train, seed(2), ...type, '--random-secrets', '200'),
    render(tag('test-a'), SIZE.test, seed(3), ...type, '--secret', SECRET_A, '--period', String(PERIOD)),
    render(tag('test-a-next'), SIZE.test, seed(4), ...type, '--secret', SECRET_A, '--period', String(PERIOD + 1)),
    render(tag('test-a-after-next'), SIZE.test, seed(7), ...type, '--secret', SECRET_A, '--period', String(PERIOD + 2)),
    sameOnly || !own ? Promise.resolve('') : render(tag('test-a-own'), SIZE.test, seed(5), ...type, '--secret', SECRET_A, '--fonts', fontDir),
    all && own ? render(tag('train-a-own'), SIZE.train, seed(6), ...type, '--secret', SECRET_A, '--fonts', fontDir) : Promise.resolve(''),
    // The attacker who labels two periods in a row, half the images each, tested on the two after.
    all && own ? render(tag('train-a-two'), SIZE.train, seed(8), ...type, '--secret', SECRET_A, '--period', `${PERIOD},${PERIOD + 1}`) : Promise.resolve(''),
    all && own ? render(tag('test-a-third'), SIZE.test, seed(9), ...type, '--secret', SECRET_A, '--period', String(PERIOD + 3)) : Promise.resolve(''),
  ]);
  return { kind, trainA, trainOpen, trainOwn, testA, testNext, testAfterNext, testOwn, trainTwo, testThird };
};
// One kind at a time: a full kind's images take about 1 GB of memory while they are drawn.
const sets: Sets[] = [];
for (const [k, kind] of kinds.entries()) sets.push(await renderKind(kind, k));
process.stderr.write(`trained: images rendered in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

const solve = async (kind: Kind, train: string, tests: Record<string, string>) => {
  const args = ['bench/trained/solver.py', '--train', train, '--steps', String(SIZE.steps), '--seed', '1'];
  for (const [name, prefix] of Object.entries(tests)) args.push('--test', `${name}=${prefix}`);
  const result = JSON.parse(await run(PYTHON, args, { OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_NUM_THREADS: '1' })) as {
    params: number;
    train_seconds: number;
    tests: Record<string, { solved: number; n: number; rate: number }>;
  };
  return { kind, ...result };
};
const models = await Promise.all(
  sets.flatMap((s) => [
    solve(s.kind, s.trainA, { 'same-style': s.testA, 'next-period': s.testNext, 'period-after-next': s.testAfterNext }),
    ...(sameOnly ? [] : [solve(s.kind, s.trainOpen, { 'open-code': s.testA, ...(s.testOwn ? { 'open-code-own-fonts': s.testOwn } : {}) })]),
    ...(s.trainOwn ? [solve(s.kind, s.trainOwn, { 'same-style-own-fonts': s.testOwn })] : []),
    ...(s.trainTwo ? [solve(s.kind, s.trainTwo, { 'two-periods-next': s.testAfterNext, 'two-periods-after': s.testThird })] : []),
  ]),
);

const describe: Record<string, Figure> = {
  'same-style': { name: 'same-style', trainedOn: 'deployment A, one style period', testedOn: 'new images of the same period' },
  'next-period': { name: 'next-period', trainedOn: 'deployment A, one style period', testedOn: 'deployment A, the next period' },
  // Periods alternate the two halves of the faces, the two stroke families and the two Chinese
  // faces, so the period after next shares all with the one trained on: what one labelled period
  // is worth a period later.
  'period-after-next': { name: 'period-after-next', trainedOn: 'deployment A, one style period', testedOn: 'deployment A, two periods later' },
  'open-code': { name: 'open-code', trainedOn: '200 random secrets, bundled fonts', testedOn: 'deployment A, bundled fonts' },
  'open-code-own-fonts': { name: 'open-code-own-fonts', trainedOn: '200 random secrets, bundled fonts', testedOn: 'deployment A with its own fonts' },
  'same-style-own-fonts': { name: 'same-style-own-fonts', trainedOn: 'deployment A with its own fonts', testedOn: 'new images of it' },
  'two-periods-next': { name: 'two-periods-next', trainedOn: 'deployment A, two periods in a row', testedOn: 'deployment A, the period after them' },
  'two-periods-after': { name: 'two-periods-after', trainedOn: 'deployment A, two periods in a row', testedOn: 'deployment A, two periods after them' },
};
const figures = models.flatMap((m) =>
  Object.entries(m.tests).map(([name, t]) => ({ ...describe[name]!, kind: m.kind, params: m.params, ...t, trainSeconds: m.train_seconds })),
);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const mode = quick ? 'quick' : 'full';
for (const f of figures) {
  process.stdout.write(`trained: kind=${f.kind} ${f.name} solved=${pct(f.rate)} (${f.solved}/${f.n}) train=${SIZE.train} steps=${SIZE.steps} mode=${mode}\n`);
}
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  join(ROOT, `bench/results/${quick ? 'trained-quick' : 'trained'}${sameOnly ? '-same-style' : ''}.json`),
  JSON.stringify({ date: new Date().toISOString(), mode, size: SIZE, kinds, batch: 32, seed: 1, figures }, null, 2) + '\n',
);
rmSync(work, { recursive: true, force: true });
process.stderr.write(`trained: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

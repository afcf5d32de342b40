// Prints, on one line, the node flags `npm start` runs the service with, for this node: a 2 MB
// young generation and a heap that grows by half at most keep memory down, and where this node's
// V8 has the option (Node 22 and later; Node 20 refuses it), functions go to TurboFan only after
// 300,000 calls instead of 3,000, so that Node's own module loader, whose path functions run hot
// while some 300 modules load, does not wake TurboFan during start-up: 5-6 MiB of idle RSS on
// Node 24, at no measured cost in render speed (docs/performance.md). Plain JavaScript, so that
// starting needs no build step beyond dist/.
import { spawnSync } from 'node:child_process';

const flags = ['--max-semi-space-size=2', '--heap-growing-percent=50'];
const LATE_TURBOFAN = '--invocation-count-for-turbofan=300000';
if (spawnSync(process.execPath, [LATE_TURBOFAN, '-e', ''], { stdio: 'ignore' }).status === 0) flags.push(LATE_TURBOFAN);
process.stdout.write(`${flags.join(' ')}\n`);

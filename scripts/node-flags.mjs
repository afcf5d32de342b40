// Prints the node flags `npm start` adds for the node that runs this, on one line (none on Node
// 20): where this node's V8 has the option (Node 22 and later), functions go to TurboFan only
// after 300,000 calls' worth of work instead of 3,000, so that Node's own module loader, whose
// path functions run hot while some 300 modules load, does not wake TurboFan during start-up
// (5-6 MiB of idle RSS on Node 24; docs/performance.md). The start script writes its memory
// flags itself, so a failure here costs only this one. Plain JavaScript: no build step.
import { spawnSync } from 'node:child_process';

const LATE_TURBOFAN = '--invocation-count-for-turbofan=300000';
const accepted = spawnSync(process.execPath, [LATE_TURBOFAN, '-e', ''], { stdio: 'ignore' }).status === 0;
process.stdout.write(accepted ? `${LATE_TURBOFAN}\n` : '\n');

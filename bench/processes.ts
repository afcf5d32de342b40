// Makes sure the processes a bench script starts (redis-server, verifyd) are killed when the
// script exits for whatever reason, a crash included.

const started = new Set<number>();
process.on('exit', () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Remembers `pid` to be killed when this script exits. */
export function killOnExit(pid: number | undefined): void {
  if (pid !== undefined) started.add(pid);
}

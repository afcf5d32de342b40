// Where one core's time goes while it renders: samples a synchronous loop with V8's CPU profiler
// (the same profiler as `node --cpu-prof`) and sums each function's own time.

import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface Share {
  /** Function name and file, e.g. `paintInk (paint.ts)`. */
  name: string;
  /** Fraction of the samples in which the function itself was running. */
  share: number;
}

/** Runs `fn` over and over for `ms` under the profiler; returns the calls made and every function's share of the time. */
export async function profileLoop(ms: number, fn: () => unknown): Promise<{ calls: number; shares: Share[] }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  let calls = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let k = 0; k < 16; k++) fn();
    calls += 16;
  }
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  session.disconnect();

  // Native code (libjpeg-turbo, say) has no name of its own: it is named after its JS caller.
  const callerOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) callerOf.set(child, node);
  const nameOf = new Map(
    profile.nodes.map((n) => {
      const caller = callerOf.get(n.id);
      const native = n.callFrame.url === '' && n.callFrame.functionName === '' && caller !== undefined;
      return [n.id, native ? `native code under ${label(caller.callFrame)}` : label(n.callFrame)];
    }),
  );
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const name = nameOf.get(id)!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const shares = [...counts].map(([name, count]) => ({ name, share: count / total })).sort((a, b) => b.share - a.share);
  return { calls, shares };
}

function label({ functionName, url }: ProfileNode['callFrame']): string {
  const file = url.split('/').pop() || 'native';
  return `${functionName || '(anonymous)'} (${file})`;
}

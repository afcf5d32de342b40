// The process `npm run flood` floods: verifyd on the memory store, with a stub renderer, on
// 127.0.0.1 and a free port. It reports its address, then its memory whenever the parent asks
// (after a GC when run with --expose-gc).

import { createService } from '../src/service/app.ts';
import { loadConfig } from '../src/config.ts';

const STUB_IMAGE = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
const config = loadConfig({ VERIFYD_CAPTCHA_RATE_LIMIT: '0', VERIFYD_MEMORY_MAX_ENTRIES: process.argv[2] ?? '100000', VERIFYD_LOG_LEVEL: 'silent' });
const service = await createService(config, { render: async () => STUB_IMAGE });
const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message) => {
  if (message === 'memory') {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ rss, heapUsed, entries: (service.store as { size?: number }).size ?? 0 });
  } else if (message === 'stop') {
    void service.close().then(() => process.exit(0));
  }
});
process.send!({ address });

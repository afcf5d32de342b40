// A Redis outage under load: every request fails the same way, and a warning per request (with
// its stack) flooded the log at about 800 lines a second. One line per cause and interval, with
// a count of what it stands for.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createService, type Service } from '../../src/service/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/service/logger.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { SECRET } from '../helpers/service.ts';

interface Line {
  level: number;
  msg: string;
  cause?: string;
  count?: number;
  err?: unknown;
}

let redis: TestRedis;
let service: Service;
const lines: Line[] = [];
before(async () => {
  redis = await startRedis();
  const config = loadConfig({ VERIFYD_REDIS_URL: redis.url(0), VERIFYD_SECRET: SECRET });
  service = await createService(config, { logger: createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) } }) });
  await redis.stop();
});
after(async () => {
  await redis?.close();
});

it('200 requests during an outage write a bounded number of warnings, whose counts add up to 200', async () => {
  const answers = await Promise.all(Array.from({ length: 200 }, () => service.app.inject({ method: 'POST', url: '/v1/captchas' })));
  assert.deepEqual(new Set(answers.map((res) => res.statusCode)), new Set([503]));
  // Closing writes the count gathered since the last line.
  await service.close();
  const warnings = lines.filter((line) => line.msg === 'store unavailable');
  assert.ok(warnings.length >= 1 && warnings.length <= 3, `${warnings.length} lines`);
  assert.equal(
    warnings.reduce((sum, line) => sum + (line.count ?? 0), 0),
    200,
  );
  for (const line of warnings) {
    assert.equal(line.level, 40);
    assert.equal(typeof line.cause, 'string');
    assert.equal(line.err, undefined, 'no error object, so no stack');
  }
});

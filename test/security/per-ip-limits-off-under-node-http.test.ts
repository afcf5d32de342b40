// Attack: ask for captchas without end from one address where the Express middleware is mounted
// on a plain Node http server (or Connect), which it is typed to take. Those set no `req.ip`, and
// the middleware read only that, so no per-IP limit applied at all. The socket's address must
// count, and X-Forwarded-For must still not be believed.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { verifydExpress } from '../../src/adapters/express.ts';
import { testService, type TestService } from '../helpers/service.ts';

describe('a captcha flood through the Express middleware on a Node http server', () => {
  let svc: TestService;
  let server: Server;
  let base: string;
  before(async () => {
    svc = await testService({ VERIFYD_CAPTCHA_RATE_LIMIT: '2' });
    const middleware = verifydExpress({ verifier: svc.verifier });
    // Node types method and url as optional; a server request always has them.
    server = createServer((request, response) => middleware(request as Parameters<typeof middleware>[0], response, () => response.writeHead(500).end()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await svc.close();
  });

  it('is limited per address, whatever X-Forwarded-For claims', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${base}/v1/captchas`, { method: 'POST', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [201, 201, 429]);
  });
});

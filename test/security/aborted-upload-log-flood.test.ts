// Attack: start a POST, send part of the body, hang up; repeat. Fastify answers a cut-off body
// as the client's fault (400, nothing logged). The framework-free handler (fetch, Express and
// Hono adapters) took the stream's error for an unexpected one and logged it in full each time,
// so any client could flood the operator's error log. It must be a 4xx and log nothing.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { verifydExpress } from '../../src/adapters/express.ts';
import { fetchHandler } from '../../src/adapters/fetch.ts';
import { testService, type TestService } from '../helpers/service.ts';

const HEADERS = { 'content-type': 'application/json', 'content-length': '100' };

// A body that delivers a few bytes, then fails as a socket the client hung up on does.
function cutOff(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      else this.push(Buffer.from('{"phone":'));
      sent = true;
    },
  });
}

describe('an aborted upload', () => {
  let svc: TestService;
  const logged: string[] = [];
  const logger = { error: (_: object, message: string) => logged.push(message), warn: (_: object, message: string) => logged.push(message) };
  before(async () => {
    svc = await testService();
  });
  after(async () => {
    await svc.close();
  });

  it('through the fetch handler is a 400 and logs nothing', async () => {
    logged.length = 0;
    const handle = fetchHandler({ verifier: svc.verifier, logger });
    const body = Readable.toWeb(cutOff()) as ReadableStream<Uint8Array>;
    const response = await handle(new Request('https://app.example/v1/sms/send', { method: 'POST', headers: HEADERS, body, duplex: 'half' } as RequestInit));
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'INVALID_REQUEST');
    assert.deepEqual(logged, []);
  });

  it('through the Express middleware is a 400 and logs nothing', async () => {
    logged.length = 0;
    const middleware = verifydExpress({ verifier: svc.verifier, logger });
    const request = Object.assign(cutOff(), { method: 'POST', url: '/v1/sms/send', headers: HEADERS, ip: '192.0.2.1' });
    const status = await new Promise<number>((resolve, reject) => {
      const response = { statusCode: 0, setHeader: () => response, end: () => resolve(response.statusCode) };
      middleware(request, response, reject);
    });
    assert.equal(status, 400);
    assert.deepEqual(logged, []);
  });
});

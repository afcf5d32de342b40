// Slow-body and connection floods: a client that sends its headers and part of a body, then
// stalls, must not hold a socket forever (Fastify's default request timeout is none), and a flood
// of connections beyond the cap must not keep the service from answering once it passes.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';

/** Opens a raw connection to `port` that sends `bytes` and nothing more; resolves when the server has closed it. */
function stall(port: number, bytes: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    // A connection closed on arrival may see a reset: that is the server closing it too.
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    // Read (and drop) what the server answers, a 408 say: unread data would hold back the close.
    socket.resume();
    socket.write(bytes);
  });
}

const PARTIAL_BODY = 'POST /v1/captchas HTTP/1.1\r\nHost: verifyd\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":';

describe('a stalled request body', () => {
  let svc: TestService;
  let port: number;
  before(async () => {
    svc = await testService({ VERIFYD_REQUEST_TIMEOUT: '500', VERIFYD_HEADERS_TIMEOUT: '500' });
    port = Number(new URL(await svc.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  after(async () => {
    await svc.close();
  });

  it('is closed by the server within the request timeout', { timeout: 15_000 }, async () => {
    await stall(port, PARTIAL_BODY);
  });

  it('closes stalled headers too', { timeout: 15_000 }, async () => {
    await stall(port, 'POST /v1/captchas HTTP/1.1\r\nHost: verifyd\r\n');
  });
});

describe('a connection flood beyond --max-connections', () => {
  let svc: TestService;
  let port: number;
  before(async () => {
    svc = await testService({ VERIFYD_MAX_CONNECTIONS: '3', VERIFYD_REQUEST_TIMEOUT: '3000', VERIFYD_HEADERS_TIMEOUT: '3000' });
    port = Number(new URL(await svc.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  after(async () => {
    await svc.close();
  });

  it('is cut at the cap, closed by the timeouts, and a normal request is served afterwards', { timeout: 20_000 }, async () => {
    let dropped = 0;
    svc.app.server.on('drop', () => dropped++);
    await Promise.all(Array.from({ length: 10 }, () => stall(port, PARTIAL_BODY)));
    assert.equal(dropped, 7, 'the connections beyond the cap of 3 are closed on arrival');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
  });
});

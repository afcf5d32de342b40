// Attack: a cross-site form with no fields (or a no-cors fetch posting '' as text/plain) makes a
// visitor's browser POST an empty body with a Content-Type no route but siteverify and the
// confirm form takes. The framework-free handler (fetch, Express and Hono adapters) skipped the
// Content-Type check for an empty body, so such a post issued captchas from the visitor's
// address; every adapter must answer 415 before the route runs, as the Fastify service does.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchHandler } from '../../src/adapters/fetch.ts';
import { testService, type TestService } from '../helpers/service.ts';

const ROUTES = ['/v1/captchas', '/v1/sms/send', '/v1/email/send'];
const TYPES = ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'];

describe('an empty cross-site post', () => {
  let svc: TestService;
  let handle: (request: Request) => Promise<Response>;
  before(async () => {
    svc = await testService();
    handle = fetchHandler({ verifier: svc.verifier, clientIp: () => '192.0.2.1' });
  });
  after(async () => {
    await svc.close();
  });

  for (const route of ROUTES) {
    for (const type of TYPES) {
      it(`to ${route} as ${type.split(';')[0]} gets 415 through the fetch handler, as through Fastify`, async () => {
        const reference = await svc.app.inject({ method: 'POST', url: route, headers: { 'content-type': type }, payload: '' });
        assert.equal(reference.statusCode, 415, reference.body);
        const response = await handle(new Request(`https://app.example${route}`, { method: 'POST', headers: { 'content-type': type }, body: '' }));
        assert.equal(response.status, 415);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
      });
    }
  }

  it('with no Content-Type at all still issues a captcha (a plain POST /v1/captchas)', async () => {
    const response = await handle(new Request('https://app.example/v1/captchas', { method: 'POST' }));
    assert.equal(response.status, 201);
  });
});

// Attack: rotating through the addresses of one IPv6 /64 (which one machine usually holds in
// full) to get a fresh per-IP quota on every request. Every per-client limit must count the
// network, here reached through a trusted proxy's X-Forwarded-For.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { testService, type TestService } from '../helpers/service.ts';
import { randomMobile } from '../flows/sms-flow.ts';

const PROXY = '10.0.0.1';
const services: TestService[] = [];
after(async () => {
  await Promise.all(services.map((svc) => svc.close()));
});

async function behindProxy(env: Record<string, string>): Promise<TestService> {
  const svc = await testService({ VERIFYD_TRUST_PROXY: PROXY, ...env });
  services.push(svc);
  return svc;
}

type Request = (svc: TestService, client: string) => Promise<LightMyRequestResponse>;
const from = (client: string) => ({ remoteAddress: PROXY, headers: { 'x-forwarded-for': client } });

const LIMITS: { limit: string; env: Record<string, string>; request: Request; refusal: string }[] = [
  {
    limit: 'captchas issued per client',
    env: { VERIFYD_CAPTCHA_RATE_LIMIT: '2' },
    request: (svc, client) => svc.app.inject({ method: 'POST', url: '/v1/captchas', ...from(client) }),
    refusal: 'RATE_LIMITED',
  },
  {
    limit: "captchas issued per client on the seed's endpoint",
    env: { VERIFYD_CAPTCHA_RATE_LIMIT: '2' },
    request: (svc, client) => svc.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${randomUUID()}`, ...from(client) }),
    refusal: 'RATE_LIMITED',
  },
  {
    limit: 'captcha checks per client',
    env: { VERIFYD_CHECK_RATE_LIMIT: '2' },
    request: (svc, client) => svc.app.inject({ method: 'POST', url: `/v1/captchas/${randomUUID()}/check`, payload: { answer: 'ABCD' }, ...from(client) }),
    refusal: 'RATE_LIMITED',
  },
  {
    limit: 'SMS sends per client',
    env: { VERIFYD_SMS_IP_PER_MINUTE: '2' },
    request: async (svc, client) =>
      svc.app.inject({ method: 'POST', url: '/v1/sms/send', payload: { phone: randomMobile().bare, purpose: 'register', captcha: await svc.solvedCaptcha() }, ...from(client) }),
    refusal: 'SEND_LIMIT_IP',
  },
  {
    limit: 'SMS code checks per client',
    env: { VERIFYD_SMS_CHECK_RATE_LIMIT: '2' },
    request: (svc, client) => svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: randomMobile().bare, purpose: 'login', code: '123456' }, ...from(client) }),
    refusal: 'RATE_LIMITED',
  },
  {
    limit: 'email sends per client',
    env: { VERIFYD_EMAIL_IP_PER_MINUTE: '2' },
    request: async (svc, client) =>
      svc.app.inject({ method: 'POST', url: '/v1/email/send', payload: { email: `${randomUUID()}@example.org`, purpose: 'register', captcha: await svc.solvedCaptcha() }, ...from(client) }),
    refusal: 'SEND_LIMIT_IP',
  },
  {
    limit: 'email code checks per client',
    env: { VERIFYD_EMAIL_CHECK_RATE_LIMIT: '2' },
    request: (svc, client) => svc.app.inject({ method: 'POST', url: '/v1/email/check', payload: { email: `${randomUUID()}@example.org`, purpose: 'login', code: '123456' }, ...from(client) }),
    refusal: 'RATE_LIMITED',
  },
];

describe('fresh addresses from one IPv6 /64', () => {
  for (const { limit, env, request, refusal } of LIMITS) {
    it(`share one quota of ${limit}, and another /64 keeps its own`, async () => {
      const svc = await behindProxy(env);
      assert.ok((await request(svc, '2001:db8:a:1::1')).statusCode < 300);
      assert.ok((await request(svc, '2001:db8:a:1:ffff:ffff:ffff:ffff')).statusCode < 300);
      const rotated = await request(svc, '2001:DB8:A:1:1234:5678:9abc:def0');
      assert.equal(rotated.statusCode, 429, 'a third address of the same /64 is refused');
      assert.equal(rotated.json().error.code, refusal);
      assert.ok((await request(svc, '2001:db8:a:2::1')).statusCode < 300, 'the next /64 is another client');
    });
  }
});

describe('how clients are grouped', () => {
  const issue: Request = (svc, client) => svc.app.inject({ method: 'POST', url: '/v1/captchas', ...from(client) });

  it('--ipv6-subnet 48 groups a whole /48', async () => {
    const svc = await behindProxy({ VERIFYD_CAPTCHA_RATE_LIMIT: '1', VERIFYD_IPV6_SUBNET: '48' });
    assert.equal((await issue(svc, '2001:db8:b:1::1')).statusCode, 201);
    assert.equal((await issue(svc, '2001:db8:b:ffff::1')).statusCode, 429);
    assert.equal((await issue(svc, '2001:db8:c:1::1')).statusCode, 201);
  });

  it('--ipv6-subnet 128 counts each IPv6 address on its own', async () => {
    const svc = await behindProxy({ VERIFYD_CAPTCHA_RATE_LIMIT: '1', VERIFYD_IPV6_SUBNET: '128' });
    assert.equal((await issue(svc, '2001:db8:d:1::1')).statusCode, 201);
    assert.equal((await issue(svc, '2001:db8:d:1::2')).statusCode, 201);
    assert.equal((await issue(svc, '2001:db8:d:1:0:0:0:1')).statusCode, 429, 'another spelling of the first address');
  });

  it('an IPv4-mapped address is its IPv4 client, and IPv4 clients stay apart', async () => {
    const svc = await behindProxy({ VERIFYD_CAPTCHA_RATE_LIMIT: '1' });
    assert.equal((await issue(svc, '198.51.100.7')).statusCode, 201);
    assert.equal((await issue(svc, '::ffff:198.51.100.7')).statusCode, 429);
    assert.equal((await issue(svc, '198.51.100.8')).statusCode, 201);
    assert.equal((await issue(svc, '::ffff:198.51.100.9')).statusCode, 201, 'mapped IPv4 clients do not share one /64');
  });
});

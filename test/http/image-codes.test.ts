// The seed's endpoints through HTTP, on the memory store.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SEED_UUID, testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

const getImage = (query: string) => svc.app.inject({ method: 'GET', url: `/verify/image_codes/${query}` });
const check = (uuid: unknown, code: unknown) => svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code } });

describe('GET /verify/image_codes/', () => {
  it('answers a JPEG captcha for the seed example uuid, not to be cached', async () => {
    const res = await getImage(`?uuid=${SEED_UUID}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual([...res.rawPayload.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    assert.match(svc.answers.get(SEED_UUID) ?? '', /^[A-Z0-9]{4}$/);
  });

  it('works without the trailing slash too', async () => {
    const res = await svc.app.inject({ method: 'GET', url: `/verify/image_codes?uuid=${randomUUID()}` });
    assert.equal(res.statusCode, 200);
  });

  it('answers 403 when the uuid is missing or empty, as the seed does', async () => {
    for (const query of ['', '?uuid=', '?other=1']) {
      const res = await getImage(query);
      assert.equal(res.statusCode, 403, query);
      assert.equal(res.json().error.code, 'UUID_MISSING');
    }
  });

  it('answers 400 with a JSON error for a uuid that is not a canonical UUID', async () => {
    for (const bad of ['abc', `${SEED_UUID}x`, SEED_UUID.replaceAll('-', ''), '{66ea64aa-fbe6-11ea-a3d3-005056c00008}', 'x'.repeat(300), '../../etc/passwd', '%00']) {
      const res = await getImage(`?uuid=${encodeURIComponent(bad)}`);
      assert.equal(res.statusCode, 400, bad);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.json().error.code, 'INVALID_UUID');
      assert.equal(typeof res.json().error.message, 'string');
    }
  });

  it('HEAD validates but creates no captcha', async () => {
    const uuid = randomUUID();
    const res = await svc.app.inject({ method: 'HEAD', url: `/verify/image_codes/?uuid=${uuid}` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal(svc.answers.has(uuid), false);
    assert.equal((await svc.app.inject({ method: 'HEAD', url: '/verify/image_codes/' })).statusCode, 403);
  });

  it('asking again for the same uuid replaces its captcha', async () => {
    const uuid = randomUUID();
    await getImage(`?uuid=${uuid}`);
    const first = svc.answers.get(uuid)!;
    let second = first;
    // Two draws can coincide by chance (1 in ~280,000); draw until they differ.
    while (second === first) {
      await getImage(`?uuid=${uuid}`);
      second = svc.answers.get(uuid)!;
    }
    assert.deepEqual((await check(uuid, first)).json(), { valid: false });
    await getImage(`?uuid=${uuid}`);
    assert.equal((await check(uuid, svc.answers.get(uuid))).json().valid, true);
  });
});

describe('POST /verify/image_codes/check', () => {
  it('a captcha answer works once, even when correct', async () => {
    const uuid = randomUUID();
    await getImage(`?uuid=${uuid}`);
    const answer = svc.answers.get(uuid)!;
    assert.equal((await check(uuid, answer)).json().valid, true);
    assert.deepEqual((await check(uuid, answer)).json(), { valid: false });
  });

  it('a wrong answer consumes the captcha too', async () => {
    const uuid = randomUUID();
    await getImage(`?uuid=${uuid}`);
    const res = await check(uuid, 'XXXX');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { valid: false });
    assert.deepEqual((await check(uuid, svc.answers.get(uuid))).json(), { valid: false });
  });

  it('answers are case-insensitive and surrounding spaces are ignored', async () => {
    const uuid = randomUUID();
    await getImage(`?uuid=${uuid}`);
    assert.equal((await check(uuid, `  ${svc.answers.get(uuid)!.toLowerCase()}\t`)).json().valid, true);
  });

  it('an unknown uuid is simply not valid, indistinguishable from a wrong answer', async () => {
    const res = await check(randomUUID(), 'ABCD');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { valid: false });
  });

  it('an expired captcha is not valid', async () => {
    const short = await testService({ VERIFYD_CAPTCHA_TTL: '10' });
    const uuid = randomUUID();
    await short.app.inject({ method: 'GET', url: `/verify/image_codes/?uuid=${uuid}` });
    // Expire it by hand rather than waiting ten seconds.
    const key = `verifyd:captcha:${uuid}`;
    const value = await short.store.get(key);
    assert.ok(value);
    await short.store.set(key, value, 1);
    await new Promise((r) => setTimeout(r, 10));
    const res = await short.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: { uuid, code: short.answers.get(uuid) } });
    assert.deepEqual(res.json(), { valid: false });
    await short.close();
  });

  it('concurrent correct answers never both pass', async () => {
    const uuid = randomUUID();
    await getImage(`?uuid=${uuid}`);
    const answer = svc.answers.get(uuid);
    const results = await Promise.all(Array.from({ length: 20 }, () => check(uuid, answer)));
    assert.equal(results.filter((r) => r.json().valid === true).length, 1);
  });

  it('rejects bodies that do not match the schema with 400 and a stable code', async () => {
    const cases: [unknown, string][] = [
      [{}, 'INVALID_REQUEST'],
      [{ uuid: SEED_UUID }, 'INVALID_REQUEST'],
      [{ uuid: SEED_UUID, code: 1234 }, 'INVALID_REQUEST'],
      [{ uuid: 'nope', code: 'ABCD' }, 'INVALID_UUID'],
      [{ uuid: '', code: 'ABCD' }, 'UUID_MISSING'],
      [{ uuid: SEED_UUID, code: 'x'.repeat(65) }, 'INVALID_REQUEST'],
      [[1, 2], 'INVALID_REQUEST'],
    ];
    for (const [payload, code] of cases) {
      const res = await svc.app.inject({ method: 'POST', url: '/verify/image_codes/check', payload: payload as object });
      assert.equal(res.json().error.code, code, JSON.stringify(payload));
      assert.ok(res.statusCode >= 400 && res.statusCode < 500);
    }
  });
});

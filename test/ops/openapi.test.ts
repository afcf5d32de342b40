// The OpenAPI document and its viewer: generated from the route schemas, so what the document
// says is required is what validation requires.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';

interface Operation {
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}
interface JsonSchema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  maxLength?: number;
  enum?: string[];
}
type Document = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };

const API_ROUTES = [
  'get /healthz',
  'get /readyz',
  'get /metrics',
  'get /verify/image_codes/',
  'post /verify/image_codes/check',
  'post /v1/captchas',
  'post /v1/captchas/{id}/check',
  'get /v1/pow/challenge',
  'post /v1/pow/verify',
  'post /v1/sms/send',
  'post /v1/sms/check',
  'post /v1/email/send',
  'post /v1/email/check',
  'get /v1/email/confirm',
  'post /v1/email/confirm',
  'post /v1/email/confirmed',
  'post /v1/siteverify',
];

/** A value of the property's type that passes its own constraints. */
function sample(schema: JsonSchema): unknown {
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties![k]!)]));
  return 'x';
}

describe('the OpenAPI document', () => {
  let svc: TestService;
  let doc: Document;
  before(async () => {
    svc = await testService();
    const res = await svc.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json() as Document;
  });
  after(async () => {
    await svc.close();
  });

  it('is OpenAPI 3.1 and lists every API route, and only those', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'verifyd');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    assert.deepEqual(listed.sort(), [...API_ROUTES].sort());
  });

  it('carries the validation schemas: the limits in the document are the limits enforced', async () => {
    const send = doc.paths['/v1/sms/send']!.post!.requestBody!.content['application/json']!.schema;
    // The captcha or the proof of work a send needs depends on --sms-require, so neither is required by the schema.
    assert.deepEqual(send.required, ['phone', 'purpose']);
    assert.equal(send.properties!.phone!.maxLength, 32);
    const tooLong = await svc.app.inject({ method: 'POST', url: '/v1/sms/check', payload: { phone: '1'.repeat(33), purpose: 'register', code: '123456' } });
    assert.equal(tooLong.statusCode, 400);
    assert.deepEqual(doc.paths['/v1/captchas/{id}/check']!.post!.parameters?.map((p) => `${p.in}:${p.name}`), ['path:id']);
  });

  it('every field it marks required is refused with 400 when left out', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content['application/json']?.schema;
        if (!schema?.required) continue;
        const url = path.replace('{id}', '0d7c3f52-6b8e-4c1e-9a53-2f7b1c9e8d40');
        for (const field of schema.required) {
          const body = sample(schema) as Record<string, unknown>;
          delete body[field];
          const res = await svc.app.inject({ method: method.toUpperCase() as 'POST', url, payload: body });
          assert.equal(res.statusCode, 400, `${method} ${path} without ${field}: ${res.body}`);
          assert.equal((res.json() as { error: { code: string } }).error.code, 'INVALID_REQUEST');
        }
      }
    }
  });

  it('documents the success answer and the error shape of every operation', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses);
        assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${method} ${path}: ${codes}`);
        assert.ok(codes.includes('4XX') && codes.includes('5XX'), `${method} ${path}`);
      }
    }
    assert.equal(doc.paths['/v1/captchas']!.post!.requestBody!.required, false, 'the body of POST /v1/captchas is optional');
  });

  it('has a viewer at /docs that loads its own assets', async () => {
    const page = await svc.app.inject({ method: 'GET', url: '/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /swagger-ui/);
    const css = await svc.app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    assert.equal(css.statusCode, 200);
  });
});

it('serves neither the document nor the viewer with --api-docs false', async () => {
  const svc = await testService({ VERIFYD_API_DOCS: 'false' });
  try {
    assert.equal((await svc.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 404);
    assert.equal((await svc.app.inject({ method: 'GET', url: '/docs' })).statusCode, 404);
  } finally {
    await svc.close();
  }
});

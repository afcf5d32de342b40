// The demo page's static routes through HTTP: media types, security headers and revalidation.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testService, type TestService } from '../helpers/service.ts';

let svc: TestService;
before(async () => {
  svc = await testService();
});
after(async () => {
  await svc.close();
});

const get = (url: string, headers: Record<string, string> = {}) => svc.app.inject({ method: 'GET', url, headers });

describe('the demo page routes', () => {
  it('serves the page at / under a strict Content-Security-Policy', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.body, readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8'));
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "img-src 'self' data:", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) {
      assert.ok(csp.includes(directive), `CSP has ${directive}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-cache');
  });

  it('serves scripts and styles with their media types and a short cache', async () => {
    for (const [url, type] of [
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/messages.js', 'text/javascript; charset=utf-8'],
      ['/verifyd.js', 'text/javascript; charset=utf-8'],
      ['/styles.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], type, url);
      assert.equal(res.headers['cache-control'], 'public, max-age=300', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.match(String(res.headers.etag), /^"[\w-]{22}"$/, url);
    }
  });

  it('answers 304 to a matching If-None-Match, weak or in a list, and 200 otherwise', async () => {
    const { headers } = await get('/styles.css');
    const etag = String(headers.etag);
    assert.equal((await get('/styles.css', { 'if-none-match': etag })).statusCode, 304);
    assert.equal((await get('/styles.css', { 'if-none-match': `"other", W/${etag}` })).statusCode, 304);
    assert.equal((await get('/', { 'if-none-match': '"stale"' })).statusCode, 200);
  });

  it('lets any origin import the browser helper, and only the helper', async () => {
    assert.equal((await get('/verifyd.js')).headers['access-control-allow-origin'], '*');
    assert.equal((await get('/app.js')).headers['access-control-allow-origin'], undefined);
  });

  it("serves the ALTCHA widget's files as the altcha package has them, from the build's copy in vendor/altcha/", async () => {
    const altcha = new URL('../../node_modules/altcha/', import.meta.url);
    for (const [url, file, type] of [
      ['/altcha/altcha.js', 'dist/external/altcha.min.js', 'text/javascript; charset=utf-8'],
      ['/altcha/altcha.css', 'dist/external/altcha.css', 'text/css; charset=utf-8'],
      ['/altcha/pbkdf2.js', 'dist/workers/pbkdf2.js', 'text/javascript; charset=utf-8'],
      ['/altcha/sha.js', 'dist/workers/sha.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], type, url);
      assert.ok(res.rawPayload.equals(readFileSync(new URL(file, altcha))), url);
      assert.ok(res.rawPayload.equals(readFileSync(new URL(`../../vendor/altcha/${file}`, import.meta.url))), url);
    }
    const { version } = JSON.parse(readFileSync(new URL('package.json', altcha), 'utf8')) as { version: string };
    assert.match(readFileSync(new URL('../../vendor/altcha/NOTICE', import.meta.url), 'utf8'), new RegExp(`altcha ${version.replaceAll('.', '\\.')} `));
    assert.match(readFileSync(new URL('../../vendor/altcha/LICENSE', import.meta.url), 'utf8'), /^MIT License/);
  });

  it('keeps the page free of inline scripts, inline styles and remote assets', () => {
    const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
    assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\//, 'no remote asset');
  });
});

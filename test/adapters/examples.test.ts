// Each example in examples/ starts as its comment says and serves verifyd under /verify: the
// demo page, a captcha issued and checked once. They import the package by name (`verifyd`,
// the built dist/), as an application would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

for (const example of ['express', 'hono', 'fastify', 'fetch']) {
  it(`examples/${example}.mjs serves verifyd under /verify`, async () => {
    const child = spawn(process.execPath, [`examples/${example}.mjs`], { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk;
          const found = /listening on (http:\/\/\S+\/verify\/)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const page = await fetch(base);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      const issued = await fetch(`${base}v1/captchas`, { method: 'POST' });
      assert.equal(issued.status, 201);
      const { id } = (await issued.json()) as { id: string };
      const wrong = await fetch(`${base}v1/captchas/${id}/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"answer":"nope"}' });
      assert.deepEqual(await wrong.json(), { valid: false });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
}

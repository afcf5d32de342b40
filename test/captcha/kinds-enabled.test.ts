// Which captcha kinds a verifier offers: only enabled ones, each safe against blind guesses.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { memoryStore } from '../../src/stores/memory.ts';
import { createVerifier } from '../../src/core/verifier.ts';
import { SECRET } from '../helpers/service.ts';

const store = memoryStore();
after(() => store.close());
const secret = Buffer.from(SECRET);

describe('createVerifier', () => {
  it('offers the text kind only by default, and named kinds when enabled', async () => {
    const plain = createVerifier({ store, secret });
    assert.ok((await plain.issueCaptcha()).image.length > 0);
    await assert.rejects(plain.issueCaptcha({ type: 'chinese' }), { code: 'CAPTCHA_TYPE_NOT_ENABLED' });
    const both = createVerifier({ store, secret, captcha: { types: ['text', 'math'], type: 'math' } });
    assert.ok((await both.issueCaptcha()).image.length > 0);
    assert.ok((await both.issueCaptcha({ type: 'text' })).image.length > 0);
  });

  it('refuses a default kind that is not enabled', () => {
    assert.throws(() => createVerifier({ store, secret, captcha: { types: ['chinese'] } }), /the default captcha type text is not one of the enabled types \(chinese\)/);
  });

  it('refuses a kind whose most frequent answer passes more than once in 1,000', () => {
    assert.throws(
      () => createVerifier({ store, secret, captcha: { length: 3, alphabet: 'ACDEHJKLM' } }),
      /text captchas with these options are answered blind once in 729; a kind that gates a send needs at least 1000/,
    );
    assert.doesNotThrow(() => createVerifier({ store, secret, captcha: { length: 3, alphabet: 'ACDEHJKLMN' } }));
  });
});

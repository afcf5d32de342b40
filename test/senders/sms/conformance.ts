// The SMS sender conformance suite: every sender must pass all of it, as every store passes
// test/stores/contract.ts. Provider senders run against a local HTTP server answering as the
// provider does; each sender's own test file only adds what is particular to it (signing, the
// full table of provider codes).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SendErrorKind, SmsSender } from '../../../src/core/types.ts';
import { message, refusedUrl, reply, sendError, startServer, type TestServer } from './helpers.ts';

/** An answer of the provider: HTTP status and body (an object is sent as JSON). */
export interface ProviderAnswer {
  status: number;
  body: unknown;
}

/** A provider failure and the SendError it must become. */
export interface ProviderFailure extends ProviderAnswer {
  kind: SendErrorKind;
  /** The provider's code the error must carry, when the provider gives one. */
  providerCode?: string;
}

export interface ProviderHarness {
  /** The sender, pointed at `endpoint` (`http://127.0.0.1:<port>`, no trailing slash). */
  make(endpoint: string, options?: { timeoutMs?: number }): SmsSender;
  /** How the provider answers an accepted send. */
  ok: ProviderAnswer;
  /** At least one failure of each kind the core acts on: throttled, invalid_recipient, config, retryable. */
  failures: ProviderFailure[];
  /** Credentials and other values no error message may contain. */
  secrets: string[];
  /** Kinds the provider's protocol has no way to say (the webhook's status codes cannot name a bad number). */
  cannotReport?: SendErrorKind[];
}

export interface SenderHarness {
  /** The `name` the sender must report. */
  name: string;
  /** A sender that needs no provider (the log sender); provider senders give `provider` instead. */
  make?: () => SmsSender;
  provider?: ProviderHarness;
}

/** What the core must act on: a sender that cannot tell these apart breaks retries and feedback. */
const KINDS_THE_CORE_ACTS_ON: SendErrorKind[] = ['throttled', 'invalid_recipient', 'config', 'retryable'];
/** Never in an error: the code and the full number (the masked form is fine). */
const MESSAGE_SECRETS = [message.code, message.to.slice(1)];

const assertNoSecret = (error: Error, secrets: readonly string[]) => {
  for (const secret of [...secrets, ...MESSAGE_SECRETS]) {
    assert.ok(!error.message.includes(secret), `"${secret}" leaked into: ${error.message}`);
  }
};

/** Runs the shared SMS sender behaviours against the sender `harness` describes. */
export function smsSenderConformance(label: string, harness: SenderHarness): void {
  describe(`${label} SMS sender conformance`, () => {
    const { provider } = harness;
    let server: TestServer | undefined;
    let answer: ProviderAnswer | undefined;
    before(async () => {
      if (provider === undefined) return;
      server = await startServer((_request, response) => {
        const { status, body } = answer ?? provider.ok;
        reply(response, status, body, typeof body === 'string' ? 'text/html' : 'application/json');
      });
    });
    after(() => server?.close());
    const sender = (options?: { timeoutMs?: number }): SmsSender => (provider ? provider.make(server!.url, options) : harness.make!());

    it('has its name, a plain object with send()', () => {
      const s = sender();
      assert.equal(s.name, harness.name);
      assert.equal(typeof s.send, 'function');
    });

    it('a send the provider accepts resolves, leaving the message as it was', async () => {
      answer = undefined;
      const given = { ...message };
      assert.equal(await sender().send(given), undefined);
      assert.deepEqual(given, message);
    });

    if (provider === undefined) return;

    it('an accepted send is one request that carries the code', async () => {
      answer = undefined;
      const before = server!.requests.length;
      await sender().send(message);
      const requests = server!.requests.slice(before);
      assert.equal(requests.length, 1);
      assert.ok(`${requests[0]!.url}\n${requests[0]!.body}`.includes(message.code), 'the code reaches the provider');
    });

    it('its failure table covers every kind the core acts on', () => {
      const kinds = new Set(provider.failures.map((f) => f.kind));
      for (const kind of KINDS_THE_CORE_ACTS_ON) assert.ok(provider.cannotReport?.includes(kind) ||kinds.has(kind), `no ${kind} case for ${label}`);
    });

    for (const failure of provider.failures) {
      it(`HTTP ${failure.status}${failure.providerCode ? ` ${failure.providerCode}` : ''} is a ${failure.kind} SendError that names no secret`, async () => {
        answer = failure;
        const error = await sendError(sender().send(message), failure.kind, failure.providerCode);
        assertNoSecret(error, provider.secrets);
      });
    }

    it('an HTML error page with a 5xx is retryable', async () => {
      answer = { status: 503, body: '<html><body>Service Unavailable</body></html>' };
      const error = await sendError(sender().send(message), 'retryable');
      assertNoSecret(error, provider.secrets);
    });

    it('a provider that never answers gives a timeout, never a retryable error', async () => {
      const silent = await startServer(() => {});
      try {
        const error = await sendError(provider.make(silent.url, { timeoutMs: 100 }).send(message), 'timeout');
        assertNoSecret(error, provider.secrets);
      } finally {
        await silent.close();
      }
    });

    it('a refused connection is retryable: the request never left', async () => {
      const error = await sendError(provider.make(await refusedUrl()).send(message), 'retryable');
      assertNoSecret(error, provider.secrets);
    });
  });
}

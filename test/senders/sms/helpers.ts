// Shared by the SMS sender tests: a local node:http server that records what it receives, a URL
// on which nothing listens, and an assertion on the SendError a send ends with.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendError } from '../../../src/core/types.ts';
import type { SendErrorKind, SmsMessage } from '../../../src/core/types.ts';

export interface ReceivedRequest {
  method: string;
  /** Path and raw query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server on a free port; `handle` may leave a request unanswered to simulate a hang. */
export async function startServer(handle: (request: ReceivedRequest, response: ServerResponse) => void): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      handle(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens, so connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function reply(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export const message: SmsMessage = { to: '+8613800138000', code: '123456', purpose: 'register', ttlSeconds: 300, locale: 'zh-CN' };

/** Awaits `promise`, asserts it rejected with a SendError of `kind`, and returns that error. */
export async function sendError(promise: Promise<unknown>, kind: SendErrorKind, providerCode?: string): Promise<SendError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} SendError, but the send succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SendError, `expected a SendError, got ${String(error)}`);
  assert.equal(error.kind, kind, `kind for: ${error.message}`);
  if (providerCode !== undefined) assert.equal(error.providerCode, providerCode);
  return error;
}

/** Asserts that none of `secrets` occurs in the error's message. */
export function assertNoLeak(error: Error, secrets: readonly string[]): void {
  for (const secret of secrets) assert.ok(!error.message.includes(secret), `"${secret}" leaked into: ${error.message}`);
}

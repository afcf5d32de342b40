// One HTTP call to an SMS provider, with the failure classification every sender shares: a failure
// before the request left (connection refused, DNS) is `retryable`, an endpoint fetch cannot use
// is `config`, and a timeout or any failure once the request may have reached the provider is
// `timeout`, which the core never retries: a provider such as Aliyun may already have delivered it.

import { SendError } from '../../core/types.ts';

export interface ProviderResponse {
  status: number;
  /** The raw response body, read in full. */
  text: string;
}

// Errors raised while connecting, so the request bytes were never written.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends `init` to `url` and reads the whole response body, both within `timeoutMs`. Resolves for
 * any HTTP status (the caller maps provider codes); throws a SendError only for transport
 * failures. Error messages name the provider and the failure, never the URL's query or the body.
 */
export async function providerRequest(
  provider: string,
  fetchImpl: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<ProviderResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal, redirect: 'manual' });
  } catch (error) {
    throw transportError(provider, error, timeoutMs);
  }
  try {
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // The provider answered, so it has the request: whatever failed now, it may have sent.
    throw new SendError('timeout', `${provider}: the response could not be read in full (${describe(error, timeoutMs)})`, { cause: error });
  }
}

/** Parses a JSON object body; anything else (an HTML error page, an empty body) gives `undefined`. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function transportError(provider: string, error: unknown, timeoutMs: number): SendError {
  const code = errorCode(error);
  if (code === 'ERR_INVALID_URL' || causeMessage(error) === 'bad port') {
    return new SendError('config', `${provider}: the endpoint URL is not usable (${code ?? 'bad port'}); the request was not sent`, { cause: error });
  }
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new SendError('retryable', `${provider}: could not connect (${code}); the request was not sent`, { cause: error });
  }
  return new SendError('timeout', `${provider}: ${describe(error, timeoutMs)}; the request may have been delivered`, { cause: error });
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = errorCode(error);
  return code === undefined ? 'the connection failed' : `the connection failed (${code})`;
}

function causeMessage(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause.message : undefined;
}

// undici wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

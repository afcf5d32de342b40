// Request bodies as every adapter reads them: JSON (an empty body is "no options"), and on the
// routes that take them, form-encoded and multipart form data. One parser, so a body means the
// same thing through every adapter.

import { VerifyError } from '../errors.ts';
import type { BodyKind } from './routing.ts';

/** The kind of body a Content-Type announces; undefined for one no route takes. */
export function bodyKindOf(contentType: string | undefined): BodyKind | undefined {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (media === 'multipart/form-data') return 'multipart';
  return undefined;
}

/** Parses a JSON body: '' (or only whitespace) is undefined; malformed JSON is INVALID_JSON. */
export function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed, rejectProtoKeys);
  } catch {
    throw new VerifyError('INVALID_JSON');
  }
}

/** A form-encoded body's fields; a repeated field keeps its last value. */
export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** A multipart body's fields; a file where a field belongs becomes `{}` and fails the schema, as any other wrong type does. */
export async function parseMultipart(body: Uint8Array, contentType: string): Promise<Record<string, unknown>> {
  try {
    const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
    const fields: Record<string, unknown> = {};
    form.forEach((value, key) => (fields[key] = typeof value === 'string' ? value : {}));
    return fields;
  } catch {
    throw new VerifyError('INVALID_REQUEST', { message: 'The multipart body could not be read.' });
  }
}

// Prototype pollution guard, as Fastify's default parser does.
function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError('forbidden key');
  return value;
}

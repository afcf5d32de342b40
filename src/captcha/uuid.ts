// Canonical UUID strings: the only ids verifyd accepts for captchas.

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for an 8-4-4-4-12 hex string of any version, such as the seed's v1 example. */
export function isCanonicalUuid(value: string): boolean {
  return value.length === 36 && CANONICAL.test(value);
}

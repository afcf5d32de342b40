// Tells a real secret from a weak one at start-up. Length alone is not enough: 32 times "a", a
// repeated word or a copied placeholder is long and guessable, and every stored code and answer
// is only as safe as this key.

/** Placeholders seen in sample configurations; a secret containing one was copied, not generated. */
const PLACEHOLDERS = ['changeme', 'change-me', 'change_me', 'replaceme', 'replace-me', 'replace_me', 'your-secret', 'your_secret', 'yoursecret', 'placeholder', 'example', 'secretkey', 'secret-key', 'secret_key'];

const MIN_DISTINCT = 8;
/** Bits estimated from the secret's own character frequencies; `openssl rand -hex 16` scores about 110. */
const MIN_BITS = 64;

/**
 * Why `secret` is too weak to key HMACs, in a few words, or undefined when it is fine. Checks:
 * a placeholder word, fewer than 8 distinct characters, a short unit repeated, and fewer than 64
 * bits by the characters' own frequencies.
 */
export function secretWeakness(secret: string): string | undefined {
  const lower = secret.toLowerCase();
  const placeholder = PLACEHOLDERS.find((word) => lower.includes(word));
  if (placeholder !== undefined) return `it contains the placeholder "${placeholder}"`;
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size === 1) return 'it is one character repeated';
  if (counts.size < MIN_DISTINCT) return `it has only ${counts.size} distinct characters`;
  const unit = repeatedUnit(chars);
  if (unit !== undefined) return `it repeats "${unit}"`;
  let bits = 0;
  for (const n of counts.values()) bits -= n * Math.log2(n / chars.length);
  if (bits < MIN_BITS) return `its characters carry about ${Math.round(bits)} bits, fewer than ${MIN_BITS}`;
  return undefined;
}

/** The shortest unit of up to half the length that the whole secret repeats, if any. */
function repeatedUnit(chars: string[]): string | undefined {
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.every((c, i) => c === chars[i % size])) return chars.slice(0, size).join('');
  }
  return undefined;
}

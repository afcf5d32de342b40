// Writes a build output only when its bytes change, and then by a rename, so that a running
// process never reads it half written and an unchanged file is left alone (and clean in git).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Writes `content` to `path` unless the file already holds exactly it; true if it wrote. */
export function writeIfChanged(path: string, content: Buffer | string): boolean {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  let existing: Buffer | undefined;
  try {
    existing = readFileSync(path);
  } catch {
    existing = undefined;
  }
  if (existing?.equals(bytes)) return false;
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return true;
}

// What NODE_ENV means to verifyd. Spellings such as `Production`, `prod` or ` production ` are
// production: a guardrail that a capital letter or a stray space switches off is no guardrail.

export type NodeEnv = 'production' | 'development' | 'test';

const SPELLINGS: Record<string, NodeEnv> = {
  production: 'production',
  prod: 'production',
  development: 'development',
  dev: 'development',
  test: 'test',
};

/** The environment `raw` names, ignoring case and surrounding space; undefined for anything else. */
export function nodeEnvOf(raw: string): NodeEnv | undefined {
  return SPELLINGS[raw.trim().toLowerCase()];
}

/**
 * Whether `raw` (e.g. `process.env.NODE_ENV`) names production in any spelling. The library's
 * development-only parts (the log senders) refuse to exist when it does.
 */
export function isProduction(raw: string | undefined): boolean {
  return raw !== undefined && nodeEnvOf(raw) === 'production';
}

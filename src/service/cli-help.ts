// The help texts of `verifyd`, `verifyd serve` and `verifyd captcha`, and the options block the
// README mirrors: options grouped by what they set, defaults written as a user would type them.

import { OPTIONS, type OptionSpec } from '../config.ts';

/** The groups in the order `--help` and the README show them. */
export const OPTION_GROUPS = [
  'Service',
  'Trust',
  'Store',
  'Captcha',
  'SMS',
  'SMS provider: webhook',
  'SMS provider: aliyun',
  'SMS provider: tencent',
  'SMS provider: twilio',
  'Email',
  'Limits',
  'Operations',
] as const;
export type OptionGroup = (typeof OPTION_GROUPS)[number];

/** The group an option belongs to, from its flag; a new option lands in the group its name says. */
export function groupOf(flag: string): OptionGroup {
  if (/rate-limit$|-per-(minute|hour|day)$|^sms-daily-budget$|^sms-resend-after$/.test(flag)) return 'Limits';
  if (/^(redis-|memory-)|^key-prefix$/.test(flag)) return 'Store';
  if (/^(api-keys|receipt-.*|public-checks)$/.test(flag)) return 'Trust';
  if (/^captcha-/.test(flag)) return 'Captcha';
  if (/^sms-/.test(flag)) return 'SMS';
  const provider = /^(webhook|aliyun|tencent|twilio)-/.exec(flag)?.[1];
  if (provider !== undefined) return `SMS provider: ${provider}` as OptionGroup;
  if (/^(smtp|email)-|^public-url$|^brand$/.test(flag)) return 'Email';
  if (/^(metrics|api-docs|log-level|node-env)$|^admin-/.test(flag)) return 'Operations';
  return 'Service';
}

/** A default as typed on a command line: `8000`, `true`, `CN,HK`; `(none)` for nothing. */
export function shownDefault(spec: OptionSpec<unknown>): string {
  if (spec.shown !== undefined) return spec.shown;
  const value = spec.default;
  if (value instanceof Map) return value.size === 0 ? '(none)' : [...value].map(([k, v]) => `${k}:${v}`).join(',');
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(String).join(',');
  if (value === '' || (value === false && spec.flag === 'trust-proxy')) return '(none)';
  return /[\s<>]/.test(String(value)) ? `"${String(value)}"` : String(value);
}

/**
 * Every option, one line each under its group's heading: flag, variable, default, meaning.
 * With `comments`, in the README's shell-block form (`# Group`, `# meaning`).
 */
export function optionLines({ comments = false }: { comments?: boolean } = {}): string {
  const specs = Object.values(OPTIONS) as OptionSpec<unknown>[];
  const width = (pick: (spec: OptionSpec<unknown>) => string) => Math.max(...specs.map((spec) => pick(spec).length)) + 2;
  // A rare long default (the From header) overflows its column rather than widen every line.
  const [flagWidth, envWidth, defaultWidth] = [width((s) => `--${s.flag}`), width((s) => s.env), 14];
  const sections: string[] = [];
  for (const group of OPTION_GROUPS) {
    const members = specs.filter((spec) => groupOf(spec.flag) === group);
    if (members.length === 0) continue;
    const lines = members.map(
      (spec) =>
        `${comments ? '' : '  '}${`--${spec.flag}`.padEnd(flagWidth)}${spec.env.padEnd(envWidth)}${shownDefault(spec).padEnd(defaultWidth - 2)}  ${comments ? '# ' : ''}${spec.help}`,
    );
    sections.push([comments ? `# ${group}` : `${group}:`, ...lines].join('\n'));
  }
  return sections.join('\n\n');
}

/** `verifyd serve --help`; built when asked, since the options table is long. */
export const serveHelp = (): string => `Usage: verifyd serve [options]

Runs the HTTP service (what npm start runs). Every option is also read from its environment
variable; the flag wins, except that no flag weakens NODE_ENV=production.

${optionLines()}
`;

export const CAPTCHA_HELP = `Usage: verifyd captcha --out DIR [options]

Writes labelled sample captchas named <ANSWER>_<n>.<ext>, e.g. to measure how well OCR reads them.

  --out DIR          where to write them (required)
  --count N          how many (default: 10)
  --format F         jpeg, png or webp (default: jpeg)
  --type T           text, math, chinese or audio (default: text); audio writes WAV clips
  --locale L         language of audio clips: en or zh-CN (default: en)
  --length N         characters per text captcha, 3 to 8 (default: 4)
  --secret S         draw them in the style of the deployment whose VERIFYD_SECRET is S
                     (default: the public style)
  --fonts DIR        with --secret: in that deployment's own fonts (its --captcha-fonts)
  --period N         with --secret: in the style of style period N (--captcha-style-period)
`;

/** `verifyd --help`. */
export const usage = (): string => `Usage:
  verifyd serve [options]     run the HTTP service (what npm start runs)
  verifyd captcha [options]   write labelled sample captchas
  verifyd <command> --help    the options of one command
  verifyd --version

Options of serve (each also read from its environment variable):

${optionLines()}
`;

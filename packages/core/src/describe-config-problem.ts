// The codes and words of the configuration's problems. createOpslot loads this module only when the configuration is
// invalid, so a page that is configured right never fetches them.
import type { ConfigError, ConfigErrorCode, ConfigProblem, OpslotConfig } from './config.js';
import { CHANNELS } from './protocol.js';

/**
 * Each field's code when its value is refused, and the rule it states. Messages state the rule but never quote the
 * value: the operator's might be personal data. Every field of the configuration has one: a field added without it
 * fails to compile rather than describing its problem as undefined.
 */
const INVALID = {
  endpoint: ['config-invalid-endpoint', 'https URL without credentials'],
  channel: ['config-invalid-channel', `one of ${CHANNELS}`],
  pageId: ['config-invalid-page-id', 'id like home'],
  locale: ['config-invalid-locale', 'BCP 47 tag like zh-CN'],
  operator: ['config-invalid-operator', '8-128 of A-Z a-z 0-9 . _ : -'],
  personalized: ['config-invalid-personalized', 'true or false'],
  timeoutMs: ['config-invalid-timeout', 'whole number 100-30000'],
  publicKey: ['config-invalid-public-key', 'one or more public JWKs'],
  lazyLoad: ['config-invalid-lazy-load', 'false or margins 0-1000'],
  collapse: ['config-invalid-collapse', 'collapse or keep-space'],
  quietPages: ['config-invalid-quiet-pages', 'page ids'],
  quietPaths: ['config-invalid-quiet-paths', 'paths starting with /'],
  frequency: ['config-invalid-frequency', 'rules object'],
  vitalsSampleRate: ['config-invalid-vitals', 'number 0-1'],
  bankDomains: ['config-invalid-bank-domains', 'hosts'],
  leaveNotice: ['config-invalid-leave-notice', 'true or false'],
  slots: ['config-invalid-slot', 'object by slot id'],
} satisfies Record<keyof OpslotConfig, [code: ConfigErrorCode, rule: string]>;

/** The problems that are not about one field's value. */
const OTHERS: Record<Exclude<ConfigProblem['kind'], 'missing' | 'invalid'>, [code: ConfigErrorCode, rule: string]> = {
  personal: ['config-operator-looks-personal', 'looks like personal data; pass an opaque key'],
  json: ['config-invalid-json', 'invalid JSON'],
  block: ['config-invalid-block', 'not a JSON script'],
  input: ['config-invalid-input', 'not a readable object'],
};

const INVALID_SLOT: [code: ConfigErrorCode, rule: string] = [
  'config-invalid-slot',
  'id like home, size [1-10000, 1-10000], 1-10 formats like banner',
];

/**
 * A problem that {@link checkConfig} found, as its code and a message: what it is about, then the rule it broke.
 *
 * @example
 * describeConfigProblem({ field: 'timeoutMs', kind: 'invalid' });
 * // { code: 'config-invalid-timeout', message: 'timeoutMs: whole number 100-30000' }
 */
export function describeConfigProblem({ field, kind }: ConfigProblem): ConfigError {
  if (kind === 'missing') {
    const [, rule] = INVALID[field as keyof OpslotConfig];
    return { code: `config-missing-${field}` as ConfigErrorCode, message: `${field}: required, ${rule}` };
  }
  const [code, rule] =
    kind !== 'invalid'
      ? OTHERS[kind]
      : field.startsWith('slots.')
        ? INVALID_SLOT
        : INVALID[field as keyof OpslotConfig];
  return { code, message: `${field}: ${rule}` };
}

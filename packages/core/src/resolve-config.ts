import { type ConfigError, checkConfig, type OpslotConfig } from './config.js';
import { describeConfigProblem } from './describe-config-problem.js';

/**
 * {@link checkConfig}, with each problem in words: merges configuration inputs in order, validates them, and gives
 * the configuration, or (and then no configuration) what is wrong with it. Never throws.
 *
 * @example
 * resolveConfig([{ endpoint: '/v1/' }], { locale: 'zh-CN', baseUrl: 'https://bank.example/' });
 * // { errors: [{ code: 'config-missing-channel', message: 'channel: required, one of corporate-web,…' }] }
 */
export function resolveConfig(
  inputs: readonly unknown[],
  defaults: { locale: string; baseUrl: string },
): { config?: OpslotConfig; errors: ConfigError[] } {
  const { config, problems } = checkConfig(inputs, defaults);
  const errors = problems.map(describeConfigProblem);
  return config ? { config, errors } : { errors };
}

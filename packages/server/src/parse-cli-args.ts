import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { StaticMount } from './static-files.js';

export interface CliConfig {
  port: number;
  host: string;
  databasePath: string;
  signingKeyPath?: string;
  seedPath?: string;
  audiencePath?: string;
  adminToken?: string;
  staticMounts: StaticMount[];
  indexFile?: string;
  allowedOrigins: string[];
  allowForce: boolean;
}

const USAGE = `Usage: opslot-server [--static /prefix/=dir]... [--index file] [--seed file] [--audience file]
                     [--allow-origin origin]... [--admin-token token] [--allow-force]

Environment: PORT (default 8080), HOST (default 127.0.0.1), OPSLOT_DATA_DIR (default ./data),
OPSLOT_DB (default $OPSLOT_DATA_DIR/opslot.sqlite), OPSLOT_SIGNING_KEY (default opslot-signing-key.json beside the
database), OPSLOT_ADMIN_TOKEN (the admin API's bearer token, default the development token opslot-dev-admin-token;
--admin-token wins, but shows in the process list). --allow-force (or OPSLOT_ALLOW_FORCE=1) lets QA force
creatives into slots with ?opslot_force=slot:creative: for test environments only.`;

/** A command line the server cannot start with; `message` says what to change. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Reads the server's configuration from flags and environment; relative paths resolve against `cwd`.
 *
 * @example
 * parseCliArgs(['--static', '/examples/=examples'], { PORT: '9000' }, process.cwd());
 */
export function parseCliArgs(args: string[], env: NodeJS.ProcessEnv, cwd: string): CliConfig {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    ({ values } = parseFlags(args));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const dataDir = resolve(cwd, env.OPSLOT_DATA_DIR || 'data');
  return {
    port: parsePort(env.PORT),
    host: env.HOST || '127.0.0.1',
    databasePath: env.OPSLOT_DB ? resolve(cwd, env.OPSLOT_DB) : join(dataDir, 'opslot.sqlite'),
    signingKeyPath: env.OPSLOT_SIGNING_KEY ? resolve(cwd, env.OPSLOT_SIGNING_KEY) : undefined,
    seedPath: values.seed === undefined ? undefined : resolve(cwd, values.seed),
    audiencePath: values.audience === undefined ? undefined : resolve(cwd, values.audience),
    adminToken: parseAdminToken(values['admin-token'] ?? env.OPSLOT_ADMIN_TOKEN),
    staticMounts: (values.static ?? []).map((flag) => parseMount(flag, cwd)),
    indexFile: values.index === undefined ? undefined : resolve(cwd, values.index),
    allowedOrigins: values['allow-origin'] ?? [],
    allowForce: values['allow-force'] === true || env.OPSLOT_ALLOW_FORCE === '1',
  };
}

function parseFlags(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      static: { type: 'string', multiple: true },
      index: { type: 'string' },
      seed: { type: 'string' },
      audience: { type: 'string' },
      'admin-token': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-force': { type: 'boolean' },
    },
  });
}

/** A short token is guessable: a pilot's token must be at least as long as a UUID's hex digits. */
function parseAdminToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 32 || /\s/.test(value)) {
    throw new UsageError('OPSLOT_ADMIN_TOKEN (or --admin-token) must be at least 32 characters, without spaces.');
  }
  return value;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`PORT must be a whole number from 0 to 65535, not ${JSON.stringify(value)}.`);
  }
  return port;
}

function parseMount(flag: string, cwd: string): StaticMount {
  const at = flag.indexOf('=');
  if (!flag.startsWith('/') || at === -1 || at === flag.length - 1) {
    throw new UsageError(`--static takes /prefix/=dir, such as --static /examples/=examples, not ${flag}.`);
  }
  return { urlPrefix: flag.slice(0, at), dir: resolve(cwd, flag.slice(at + 1)) };
}

// Installs packages from the npm registry into a throwaway folder, so the bench measures what a bank would get
// from `npm install` today without adding anything to the project's dependencies or lockfile.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * npm retries an unreachable registry for minutes: one retry, and a cap on the whole install, keep a bench run
 * without a registry to a minute or so while still riding out one dropped connection.
 */
const INSTALL_TIMEOUT_MS = 120_000;
const RETRY_FLAGS = ['--fetch-retries=1', '--fetch-retry-maxtimeout=10000', '--fetch-timeout=30000'];

/**
 * `npm install --no-save --prefix <folder> <specs…>`; resolves with each package's installed version, by name.
 * Install scripts are skipped: nothing measured needs one, and they would be code run from the registry.
 * @throws an Error saying why npm failed (registry unreachable, unknown version, timed out).
 */
export async function installFromRegistry(folder, specs) {
  try {
    await execFileAsync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...RETRY_FLAGS,
        '--prefix',
        folder,
        ...specs,
      ],
      { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    if (error.killed) throw new Error(`npm install ${specs.join(' ')} timed out after ${INSTALL_TIMEOUT_MS / 1000} s`);
    // npm's first error lines name the cause (`code ECONNREFUSED`, `404 Not Found …`); the rest is advice.
    const cause = String(error.stderr ?? '')
      .split('\n')
      .filter((line) => line.startsWith('npm error') && line.trim() !== 'npm error')
      .slice(0, 2)
      .map((line) => line.replace(/^npm error\s*/, ''))
      .join('; ');
    throw new Error(`npm install ${specs.join(' ')} failed: ${cause || error.message}`);
  }
  const versions = {};
  for (const spec of specs) {
    const name = spec.replace(/(?<=.)@.*$/, '');
    const manifest = join(folder, 'node_modules', name, 'package.json');
    versions[name] = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
  }
  return versions;
}

// Installs packages from the npm registry into a throwaway folder, so the bench measures what a bank would get
// from `npm install` today without adding anything to the project's dependencies or lockfile.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** npm gives up on an unreachable registry only after minutes of retries; the bench should fail sooner. */
const INSTALL_TIMEOUT_MS = 180_000;

/**
 * `npm install --no-save --prefix <folder> <specs…>`; resolves with each package's installed version, by name.
 * Install scripts are skipped: nothing measured needs one, and they would be code run from the registry.
 * @throws an Error carrying npm's last lines when the install fails (registry unreachable, unknown version, …).
 */
export async function installFromRegistry(folder, specs) {
  try {
    await execFileAsync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', folder, ...specs],
      { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const tail = String(error.stderr || error.message)
      .trim()
      .split('\n')
      .slice(-3)
      .join(' / ');
    throw new Error(`npm install ${specs.join(' ')} failed: ${tail}`);
  }
  const versions = {};
  for (const spec of specs) {
    const name = spec.replace(/(?<=.)@.*$/, '');
    const manifest = join(folder, 'node_modules', name, 'package.json');
    versions[name] = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
  }
  return versions;
}

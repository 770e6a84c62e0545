// Runs a command with inherited output, or captures it while still streaming it to the terminal.
import { spawn } from 'node:child_process';

/**
 * Runs `command args…`; resolves with its exit code and, when `capture` is set, everything it printed.
 * A missing command resolves with code 127 instead of throwing.
 */
export function run(command, args, { cwd, env, capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (capture) {
      for (const [stream, sink] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        stream.on('data', (chunk) => {
          output += chunk;
          sink.write(chunk);
        });
      }
    }
    child.on('error', () => resolve({ code: 127, output }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/** Runs a command and returns its trimmed standard output, or undefined when it fails. */
export function read(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? output.trim() : undefined));
  });
}

#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OpslotServer } from './create-opslot-server.js';
import { createOpslotServer } from './create-opslot-server.js';
import { parseCliArgs } from './parse-cli-args.js';

// Every failure the operator can fix prints one line (or the seed's list of problems) and no stack trace.
function fatal(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let server: OpslotServer;
  let config: ReturnType<typeof parseCliArgs>;
  try {
    config = parseCliArgs(process.argv.slice(2), process.env, process.cwd());
    // The data folder, or OPSLOT_DB's folder when that is set.
    mkdirSync(dirname(config.databasePath), { recursive: true });
    server = createOpslotServer({ ...config, log: (line) => console.log(line) });
  } catch (error) {
    fatal(error instanceof Error ? error.message : String(error));
  }

  try {
    const { port } = await server.listen(config.port, config.host);
    console.log(`opslot server on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`);
  } catch (error) {
    await server.close();
    fatal(describeListenError(error, config.port, config.host));
  }

  let stopping = false;
  const stop = () => {
    // A second Ctrl-C means "now": do not wait for slow clients.
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function describeListenError(error: unknown, port: number, host: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} is already in use. Stop the other process or set PORT to a free port.`;
  }
  if (code === 'EACCES') return `Port ${port} needs privileges this user does not have. Set PORT to 1024 or above.`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine. Set HOST to one that is.`;
  return `Cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`;
}

await main();

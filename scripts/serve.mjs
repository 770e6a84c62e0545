// Serves the built example pages, SDK bundle and reference API on http://127.0.0.1:${PORT:-8080}, with the database
// under ./data (OPSLOT_DATA_DIR). `npm start` runs it after installing and building; on its own it expects a build.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveExamples } from './lib/serve-examples.mjs';
import { ROOT, say } from './lib/toolchain.mjs';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(ROOT, process.env.OPSLOT_DATA_DIR ?? 'data');

mkdirSync(dataDir, { recursive: true });
say(`starting the reference server (database ${join(dataDir, 'opslot.sqlite')})`);
// One line per answered request, like a development server: QA sees decisions and beacons arrive.
const running = await serveExamples({
  port,
  host,
  databasePath: join(dataDir, 'opslot.sqlite'),
  log: console.log,
}).catch((error) => {
  console.error(
    error?.code === 'EADDRINUSE'
      ? `\n✖ Port ${port} is already in use. Stop the other process or set PORT to a free port, e.g. PORT=8081 npm start`
      : `\n✖ The server could not start: ${error?.message ?? error}`,
  );
  process.exit(1);
});

const origin = `http://${host}:${running.port}`;
console.log(`
  opslot is running at ${origin}/
    example pages   ${origin}/ (corporate-web, corporate-mobile, personal-web, personal-mobile, spa, strict-csp)
    SDK bundle      ${origin}/sdk/opslot.js
    partner bundle  ${origin}/partner/partner.js
    statistics      ${origin}/v1/stats
  Ctrl-C stops it.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await running.close();
  console.log('opslot stopped.');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

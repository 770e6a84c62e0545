// One server of the benchmark, in its own process so that the load generator does not share its event loop:
// `opslot <dir> <seed> <audience>` runs the reference server on that data, `bare` a node:http server answering a
// fixed JSON. Prints `port <n>` once listening; answers `cpu-usage` messages with its CPU time; stops on SIGTERM.
import { createServer } from 'node:http';
import { join } from 'node:path';

const [kind, dir, seedPath, audiencePath] = process.argv.slice(2);
let close;
if (kind === 'bare') {
  const body = Buffer.from(JSON.stringify({ v: 1, decisionId: 'bench', ttl: 300, slots: [] }));
  const server = createServer((req, res) => {
    // Drain the body as the real server does, then answer.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.byteLength });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`port ${server.address().port}\n`);
  close = () => server.close(() => process.exit(0));
} else {
  const { createOpslotServer } = await import('../../packages/server/dist/index.js');
  const server = createOpslotServer({ databasePath: join(dir, 'opslot.sqlite'), seedPath, audiencePath });
  const { port } = await server.listen(0, '127.0.0.1');
  process.stdout.write(`port ${port}\n`);
  close = () => server.close().then(() => process.exit(0));
}
process.on('SIGTERM', () => close());
// The benchmark asks for this process's CPU time around each run: on a shared machine that is the steadier figure.
process.on('message', (message) => {
  if (message === 'cpu-usage') process.send?.(process.cpuUsage());
});

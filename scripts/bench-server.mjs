// `pnpm bench:server`: decisions/s and latency of the reference server under load on loopback, beside a bare
// node:http server answering a fixed JSON in the same run, then event ingestion in events/s. The data is the shipped
// seed plus 200 campaigns (every kind of targeting, strategy and frequency rule), 10,000 whitelisted operator keys
// and a 50,000-edge relation graph. Each server runs in its own process; autocannon generates the load from this
// one. Reports, never asserts: docs/benchmarks.md keeps the figures.
//
// Besides requests/s and latency, each row gives the server process's CPU time per answer (user + system, read over
// IPC before and after the run): other work on a shared machine moves throughput a lot, CPU per answer much less.
//
// BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 10) change the run.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from './build.mjs';
import { CAMPAIGNS, decisionBodies, GRAPH_EDGES, WHITELIST_ENTRIES, writeBenchData } from './lib/bench-catalogue.mjs';
import { ROOT, say } from './lib/toolchain.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const EVENTS_PER_BATCH = 100;

await build();
const dir = mkdtempSync(join(tmpdir(), 'opslot-bench-'));
const children = [];
try {
  say(`data: ${CAMPAIGNS} extra campaigns, ${WHITELIST_ENTRIES} whitelist entries, ${GRAPH_EDGES} graph edges`);
  const { seedPath, audiencePath } = writeBenchData(dir);
  const bodies = decisionBodies();

  const started = performance.now();
  const opslot = await startChild(['opslot', dir, seedPath, audiencePath]);
  say(`reference server loaded its data in ${Math.round(performance.now() - started)} ms`);
  const bare = await startChild(['bare']);
  // One request first, so that the table measures answers rather than the first decision's catalogue snapshot.
  await fetch(`http://127.0.0.1:${opslot.port}/v1/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: bodies[0],
  }).then((res) => res.arrayBuffer());

  const decisions = await load(opslot, '/v1/decisions', bodies);
  const fixed = await load(bare, '/v1/decisions', bodies);
  const events = await load(opslot, '/v1/events', null, eventBatch);

  console.log(`\n${SECONDS} s per run, ${CONNECTIONS} connections, loopback, ${new Date().toISOString()}`);
  console.table({
    'opslot POST /v1/decisions': row(decisions),
    'bare node:http, fixed JSON': row(fixed),
    [`opslot POST /v1/events, ${EVENTS_PER_BATCH} events a batch`]: row(events),
  });
  const share = (100 * decisions.requests.average) / fixed.requests.average;
  console.log(`decisions: ${Math.round(decisions.requests.average)}/s = ${share.toFixed(0)} % of the bare server`);
  const cpuShare = (100 * fixed.cpuPerAnswer) / decisions.cpuPerAnswer;
  console.log(
    `server CPU a decision: ${Math.round(decisions.cpuPerAnswer)} µs (one core's worth: ${Math.round(1e6 / decisions.cpuPerAnswer)}/s); ` +
      `a bare answer: ${Math.round(fixed.cpuPerAnswer)} µs; CPU-bound share ${cpuShare.toFixed(0)} %`,
  );
  console.log(`events stored: ${Math.round(events.requests.average * EVENTS_PER_BATCH)}/s`);
  if (decisions.non2xx + events.non2xx > 0) console.log(`non-2xx answers: ${decisions.non2xx + events.non2xx}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a server process; resolves with its port and a way to read its CPU time (µs, user + system). */
function startChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/lib/bench-server-child.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    children.push(child);
    const cpuMicros = () =>
      new Promise((answered) => {
        child.once('message', ({ user, system }) => answered(user + system));
        child.send('cpu-usage');
      });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      const match = /port (\d+)/.exec(text);
      if (match) resolve({ port: Number(match[1]), cpuMicros });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} server exited with ${code}`)));
  });
}

/**
 * Runs autocannon against `server`'s `path`, cycling through `bodies` or building each body with `makeBody`; adds
 * the server's CPU time per answer, in µs.
 */
async function load(server, path, bodies, makeBody) {
  const cpuBefore = await server.cpuMicros();
  const result = await run(`http://127.0.0.1:${server.port}${path}`, bodies, makeBody);
  const cpu = (await server.cpuMicros()) - cpuBefore;
  return { ...result, cpuPerAnswer: cpu / result.requests.total };
}

function run(url, bodies, makeBody) {
  let next = 0;
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          next += 1;
          return { ...request, body: makeBody ? makeBody() : bodies[next % bodies.length] };
        },
      },
    ],
  });
}

/** A batch of viewable exposures and clicks, each event with a fresh id so that none is a duplicate. */
function eventBatch() {
  const now = Date.now();
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
    id: randomUUID(),
    type: i % 10 === 0 ? 'click' : 'viewable',
    ts: now,
    decisionId: randomUUID(),
    slotId: 'home-banner',
    creativeId: 'cr-chengchuan-home-banner',
    campaignId: 'camp-chengchuan-five-axis',
    channel: 'corporate-web',
    pageId: 'home',
    method: 'io2',
  }));
  return JSON.stringify({ v: 1, events });
}

function row(result) {
  return {
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'server CPU µs/answer': Math.round(result.cpuPerAnswer),
    errors: result.errors + result.non2xx,
  };
}

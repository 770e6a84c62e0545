import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BeaconEvent, DecisionRequest } from '@opslot/core';
import Database from 'better-sqlite3';
import type { OpslotServer, OpslotServerOptions } from '../create-opslot-server.js';
import { createOpslotServer } from '../create-opslot-server.js';
import { DEFAULT_SEED_PATH } from '../load-seed.js';

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  server: OpslotServer;
  /** Temporary folder holding the database; removed by `dispose`. */
  dir: string;
  databasePath: string;
  close(): Promise<void>;
  /** Closes and removes the temporary folder. */
  dispose(): Promise<void>;
}

/** A temporary folder that `dispose` removes. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'opslot-server-test-'));
}

/** Starts a real server on a free port over a fresh database in a temporary folder (or the given one). */
export async function startTestServer(
  options: Partial<OpslotServerOptions> & { dir?: string } = {},
): Promise<TestServer> {
  const dir = options.dir ?? makeTempDir();
  const databasePath = options.databasePath ?? join(dir, 'opslot.sqlite');
  const server = createOpslotServer({ ...options, databasePath });
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    server,
    dir,
    databasePath,
    close: () => server.close(),
    async dispose() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The parts of seed.json that tests edit. */
export type SeedJson = {
  advertisers: { id: string; allowedDomains: string[] }[];
  campaigns: { id: string; status: string; priority: number; weight: number; start: string; end: string | null }[];
  creatives: { id: string; campaignId: string; slotId: string; landingUrl: string; image: { file: string } }[];
  slots: { id: string }[];
};

/** Copies the shipped seed and its images into `dir/seed/`, lets `edit` change it, and returns the seed's path. */
export function writeSeed(dir: string, edit: (seed: SeedJson) => void = () => {}): string {
  const target = join(dir, 'seed');
  cpSync(join(dirname(DEFAULT_SEED_PATH), 'creatives'), join(target, 'creatives'), { recursive: true });
  const seed = JSON.parse(readFileSync(DEFAULT_SEED_PATH, 'utf8')) as SeedJson & { $schema?: string };
  delete seed.$schema;
  edit(seed);
  const path = join(target, 'seed.json');
  writeFileSync(path, JSON.stringify(seed, null, 2));
  return path;
}

/** The decision request the corporate-web home page makes for its three slots. */
export function homeDecisionRequest(): DecisionRequest {
  return {
    v: 1,
    page: { channel: 'corporate-web', pageId: 'home', locale: 'zh-CN', viewport: { width: 1280, height: 800 } },
    slots: [
      { id: 'home-banner', sizes: [[960, 240]], formats: ['banner'] },
      { id: 'home-side', sizes: [[300, 250]], formats: ['banner'] },
      { id: 'home-strip', sizes: [[960, 90]], formats: ['banner'] },
    ],
    operator: 'op-7f3a9c21e4b8',
    consent: { personalized: false },
  };
}

let eventCounter = 0;

/** A valid render event of the home banner's first creative; `overrides` change any field. */
export function beaconEvent(overrides: Partial<BeaconEvent> = {}): BeaconEvent {
  eventCounter += 1;
  return {
    id: `evt-${process.pid}-${eventCounter}-${Math.random().toString(36).slice(2, 10)}`,
    type: 'render',
    ts: Date.now(),
    decisionId: 'd6f1c7a2-3b1e-4f7a-9c1d-2a3b4c5d6e7f',
    slotId: 'home-banner',
    creativeId: 'cr-chengchuan-home-banner',
    campaignId: 'camp-chengchuan-five-axis',
    channel: 'corporate-web',
    pageId: 'home',
    ...overrides,
  };
}

/** POSTs `body` (JSON-encoded unless already a string) with `contentType`. */
export function post(url: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the request target exactly as given: fetch would normalise `..` and `%2e%2e` away before sending. */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A row of the events table, as the collector stored it. */
export type StoredEvent = Record<string, string | number | null>;

/** Every stored event, by id, read from the database file beside a running (or stopped) server. */
export function storedEvents(databasePath: string): Map<string, StoredEvent> {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM events').all() as StoredEvent[];
    return new Map(rows.map((row) => [String(row.id), row]));
  } finally {
    db.close();
  }
}

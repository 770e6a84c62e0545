import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { applyAudienceSeed, DEFAULT_AUDIENCE_PATH } from './audience-seed.js';
import { createCorsPolicy } from './cors-policy.js';
import { createKeyHasher } from './create-key-hasher.js';
import { createRequestHandler } from './create-request-handler.js';
import type { CreativeRanker } from './creative-ranker.js';
import { createCtrBayesRanker } from './creative-ranker.js';
import { createDecisionEngine } from './decide.js';
import { DEFAULT_SEED_PATH, loadSeed } from './load-seed.js';
import type { PublicSigningJwk } from './load-signing-key.js';
import { defaultSigningKeyPath, loadSigningKey } from './load-signing-key.js';
import { devPartnerToken } from './partner-auth.js';
import { createPreviewTokens, loadPreviewSecret, PREVIEW_SECRET_FILE } from './preview-token.js';
import { createProtocolValidators } from './protocol-validators.js';
import { openSqliteStore } from './sqlite-store.js';
import type { StaticMount } from './static-files.js';
import { createStaticFiles } from './static-files.js';

export interface OpslotServerOptions {
  /** SQLite file; created and migrated when missing. Its directory must exist. */
  databasePath: string;
  /**
   * File of the ECDSA P-256 key that signs decisions; made (mode 0600) on first start and reused after. Keep it with
   * the database's backups: pages that pin its public key refuse decisions signed by any other.
   * Default: `opslot-signing-key.json` beside `databasePath`.
   */
  signingKeyPath?: string;
  /**
   * Catalogue loaded into the database at start when this file differs from the one last applied, so that edits
   * made through the admin API survive restarts until the seed itself changes; default: the seed shipped with this
   * package.
   */
  seedPath?: string;
  /** Operator profiles, whitelists and relation graph, applied like the seed; default: the shipped sample. */
  audiencePath?: string;
  /**
   * Bearer token of the admin API (`/v1/admin/…`), a stand-in for the bank's SSO during a pilot. Default:
   * {@link DEV_ADMIN_TOKEN}, announced in the log, which only suits a machine nobody else reaches.
   */
  adminToken?: string;
  /** Rankers campaigns may name in `strategy.ranker`, besides the shipped `ctr-bayes` (a ranker of that id replaces it). */
  rankers?: CreativeRanker[];
  /** Read-only file trees, such as `{ urlPrefix: '/examples/', dir: 'examples' }`. */
  staticMounts?: StaticMount[];
  /** HTML file served at `/`. */
  indexFile?: string;
  /** Cross origins whose pages may call the API, such as `https://ebank.demobank.example`; default none. */
  allowedOrigins?: string[];
  /**
   * Whether QA may force a creative into a slot (`?opslot_force=slot:creative` on a page, sent as the request's
   * `force`): for test environments only. Default false, and then `force` is ignored.
   */
  allowForce?: boolean;
  /**
   * The data folder: partner uploads (`uploads/`) and the preview tokens' secret (`opslot-preview-secret`, made with
   * mode 0600 on first start) live there. Default: the database's folder.
   */
  dataDir?: string;
  /** Receives one line per answered request and every internal error; default: silent. */
  log?: (line: string) => void;
}

export interface OpslotServer {
  readonly httpServer: Server;
  /** The public key that signs decisions, as `GET /v1/keys` publishes it; pin it in page configuration. */
  readonly signingKey: PublicSigningJwk;
  /**
   * Starts accepting connections; port 0 picks a free port.
   * @throws an error whose `code` is `EADDRINUSE` when the port is taken.
   */
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** Stops accepting, lets answers in flight finish (5 s at most), then closes the database. Idempotent. */
  close(): Promise<void>;
}

/** The admin token when none is configured: documented, so it protects nothing; the log says so at start. */
export const DEV_ADMIN_TOKEN = 'opslot-dev-admin-token';

/** Meta key of the SHA-256 of the seed file last applied. */
const SEED_HASH_META_KEY = 'seed-hash';

/** Connections still busy this long after close() are cut, so that a stuck client cannot hold a shutdown. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The reference opslot server: decisions, event collection and stats over SQLite, plus static hosting for the
 * example pages. Everything that can be wrong with the options (seed, mounts, origins) fails here, before any port
 * is opened.
 *
 * @throws {SeedError} when the seed is invalid.
 * @throws {SigningKeyError} when the signing key file exists but cannot be used, or cannot be written.
 * @example
 * const server = createOpslotServer({ databasePath: 'data/opslot.sqlite' });
 * const { port } = await server.listen(8080, '127.0.0.1');
 */
export function createOpslotServer(options: OpslotServerOptions): OpslotServer {
  const log = options.log ?? (() => {});
  const rankers = new Map<string, CreativeRanker>([['ctr-bayes', createCtrBayesRanker()]]);
  for (const ranker of options.rankers ?? []) rankers.set(ranker.id, ranker);
  const seed = loadSeed(resolve(options.seedPath ?? DEFAULT_SEED_PATH), [...rankers.keys()]);
  const { creativesDir } = seed;
  const staticFiles = createStaticFiles(options.staticMounts ?? [], options.indexFile);
  const cors = createCorsPolicy(options.allowedOrigins ?? []);
  const validators = createProtocolValidators();
  const signingKey = loadSigningKey(resolve(options.signingKeyPath ?? defaultSigningKeyPath(options.databasePath)));
  const dataDir = resolve(options.dataDir ?? dirname(resolve(options.databasePath)));
  const previewTokens = createPreviewTokens(loadPreviewSecret(join(dataDir, PREVIEW_SECRET_FILE)));
  const store = openSqliteStore(options.databasePath);
  let hashKey: (key: string) => string;
  try {
    hashKey = createKeyHasher(store);
    if (store.meta(SEED_HASH_META_KEY) !== seed.hash) {
      store.replaceCatalogue(seed.catalogue);
      store.setMeta(SEED_HASH_META_KEY, seed.hash);
    }
    applyAudienceSeed(store, resolve(options.audiencePath ?? DEFAULT_AUDIENCE_PATH), hashKey);
  } catch (error) {
    store.close();
    throw error;
  }
  const adminToken = options.adminToken ?? DEV_ADMIN_TOKEN;
  if (adminToken === DEV_ADMIN_TOKEN) {
    log(
      `admin API: the development token ${DEV_ADMIN_TOKEN} is in use; set OPSLOT_ADMIN_TOKEN before anyone else can reach this server`,
    );
    const demo = store.partners().filter((p) => p.seeded);
    if (demo.length > 0) {
      log(
        `partner API: the demo partners' development tokens work too (${demo.map((p) => devPartnerToken(p.id)).join(', ')}); they stop working once OPSLOT_ADMIN_TOKEN is set`,
      );
    }
  }
  const engine = createDecisionEngine({ store, hashKey, rankers, allowForce: options.allowForce ?? false });

  const httpServer = createServer(
    // Bodies are at most 64 KiB: a request still arriving after 30 s is an attack or a dead link.
    { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    createRequestHandler({
      store,
      engine,
      validators,
      signingKey,
      cors,
      staticFiles,
      creativesDir,
      log,
      logRequests: options.log !== undefined,
      admin: { token: adminToken, hashKey, rankerIds: [...rankers.keys()] },
      partner: {
        previewTokens,
        uploadsDir: join(dataDir, 'uploads'),
        devTokens: adminToken === DEV_ADMIN_TOKEN,
        now: Date.now,
      },
    }),
  );
  let closing: Promise<void> | undefined;

  return {
    httpServer,
    signingKey: signingKey.publicJwk,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolvePort, reject) => {
        const onError = (error: Error) => {
          httpServer.off('listening', onListening);
          reject(error);
        };
        const onListening = () => {
          httpServer.off('error', onError);
          resolvePort({ port: (httpServer.address() as AddressInfo).port });
        };
        httpServer.once('error', onError);
        httpServer.once('listening', onListening);
        httpServer.listen(port, host);
      }),
    close() {
      closing ??= new Promise((resolveClosed) => {
        const cut = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
        httpServer.close(() => {
          clearTimeout(cut);
          store.close();
          resolveClosed();
        });
        httpServer.closeIdleConnections();
      });
      return closing;
    },
  };
}

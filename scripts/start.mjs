// `npm start`: installs what is missing (pnpm, dependencies), builds, and serves the example pages, the SDK bundle
// and the reference API (scripts/serve.mjs) on http://127.0.0.1:${PORT:-8080}.
import { build } from './build.mjs';
import { ensureDependencies, ensurePnpm } from './lib/toolchain.mjs';

await ensureDependencies(await ensurePnpm());
await build();
await import('./serve.mjs');

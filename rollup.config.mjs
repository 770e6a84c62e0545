// Builds the npm packages (ESM, dependencies external) and the CDN bundle `opslot.js` (everything inside,
// minified, lazy chunks beside it). Type declarations come from `tsc` (scripts/build.mjs).
import { createHash } from 'node:crypto';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { minifyTemplateLiterals } from './scripts/lib/minify-template-literals.mjs';
import { withoutAnnotations } from './scripts/lib/strip-schema-annotations.mjs';

const typescript = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.base.json' });

/** Keeps `@opslot/*`, lit and other dependencies out of the npm builds: the application's bundler dedupes them. */
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

const npmPackage = (dir, inputs) => ({
  input: Object.fromEntries(inputs.map((name) => [name, `packages/${dir}/src/${name}.ts`])),
  external,
  plugins: [stripSchemaAnnotations(), json({ preferConst: true }), typescript()],
  output: { dir: `packages/${dir}/dist`, format: 'es', sourcemap: true },
});

/**
 * Writes `manifest.json` next to the CDN bundle: each file's static and dynamic imports (so the size report can
 * tell what loads before the first creative from what loads lazily) and its Subresource Integrity hash.
 */
const cdnManifest = () => ({
  name: 'opslot-cdn-manifest',
  generateBundle(_options, bundle) {
    const files = {};
    for (const [fileName, chunk] of Object.entries(bundle)) {
      if (chunk.type !== 'chunk') continue;
      files[fileName] = {
        isEntry: chunk.isEntry,
        imports: chunk.imports,
        dynamicImports: [...new Set(chunk.dynamicImports)],
        integrity: `sha384-${createHash('sha384').update(chunk.code).digest('base64')}`,
      };
    }
    this.emitFile({ type: 'asset', fileName: 'manifest.json', source: `${JSON.stringify(files, null, 2)}\n` });
  },
});

// unsafe_arrows turns function expressions that use no `this` into arrows; nothing of ours or Lit's calls one with
// `new` (the e2e tests run the bundle). keep_fargs: false drops unused trailing parameters, which only code that
// reads a function's `length` could tell; nothing of ours, Lit's, web-vitals' or idb-keyval's does.
const TERSER = {
  ecma: 2022,
  module: true,
  compress: { passes: 2, unsafe_arrows: true, keep_fargs: false },
  format: { comments: false },
};

/**
 * Minifies every chunk, and mangles our `_`-prefixed private members (as web-vitals does) in the entry only. Terser
 * minifies each chunk on its own, so in a lazy chunk it cannot know the short names that Lit's minified build and
 * the entry already use on the same objects (Lit's ReactiveElement has a `this.l`): a lazily loaded element's
 * `_dialog` became `l` and overwrote Lit's. The entry holds Lit itself, so terser sees those names there and avoids
 * them. (Lit's own internals are `_$`-prefixed and never mangled.)
 */
function entryOnlyPropertyMangling() {
  const entry = terser({ ...TERSER, mangle: { properties: { regex: /^_[A-Za-z]/ } } });
  const lazy = terser(TERSER);
  return {
    name: 'opslot-terser',
    renderChunk(code, chunk, outputOptions) {
      return (chunk.isEntry ? entry : lazy).renderChunk.call(this, code, chunk, outputOptions);
    },
  };
}

/** Bundles our JSON Schema files without their annotations (see scripts/lib/strip-schema-annotations.mjs). */
const stripSchemaAnnotations = () => ({
  name: 'opslot-strip-schema-annotations',
  transform(code, id) {
    if (!id.endsWith('.schema.json')) return null;
    return { code: JSON.stringify(withoutAnnotations(JSON.parse(code))), map: null };
  },
});

/**
 * A bundle served from a CDN folder: everything inside, its lazy chunks beside it in `chunks/`, and the manifest.
 * `preserveEntrySignatures` lets the entry also export what its lazy chunks import from it, instead of rollup moving
 * the shared code into a second chunk behind a one-line facade (an extra request before the first creative).
 */
const cdnBundle = ({ input, dir, minifyTemplatesIn, minify }) => ({
  input,
  preserveEntrySignatures: 'allow-extension',
  plugins: [
    nodeResolve({ exportConditions: ['source', 'browser', 'production'] }),
    stripSchemaAnnotations(),
    json({ preferConst: true, compact: true }),
    typescript(),
    minifyTemplateLiterals({ include: minifyTemplatesIn }),
    minify,
    cdnManifest(),
  ],
  output: {
    dir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
});

export default [
  npmPackage('core', ['index']),
  npmPackage('elements', ['index', 'define']),
  npmPackage('partner', ['index', 'define']),
  cdnBundle({
    input: { opslot: 'packages/elements/src/cdn.ts' },
    dir: 'packages/elements/dist/cdn',
    minifyTemplatesIn: /\/packages\/elements\/src\//,
    minify: entryOnlyPropertyMangling(),
  }),
  // The partner components for the bank's corporate e-banking, served at /partner/partner.js. Not part of the SDK
  // every page loads: only the partner pages do. Lit and the SDK's elements (whose <op-slot> the studio previews in)
  // are inside, their templates squeezed as the SDK's are; the formats stay lazy chunks beside it.
  cdnBundle({
    input: { partner: 'packages/partner/src/cdn.ts' },
    dir: 'packages/partner/dist/cdn',
    minifyTemplatesIn: /\/packages\/(elements|partner)\/src\//,
    minify: terser(TERSER),
  }),
];

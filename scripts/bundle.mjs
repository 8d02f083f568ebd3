/**
 * The production entry, bundled (run by `npm run build`, after tsc): esbuild rolls src/cli.ts and the packages it
 * imports into dist/cli.js plus the chunks its subcommands import on demand (dist/bundle-*.js), replacing the tsc
 * output's dist/cli.js. A start then reads a few files instead of resolving and compiling hundreds of modules one by one
 * (Bolt's CommonJS tree above all), and zod's 64 locale files, which nothing uses, are left out: that was most of the
 * time a start spent above a bare Bolt app (README, the startup benchmark).
 *
 * Left outside: native and optional modules (better-sqlite3 with its binding, pg-native, ws's optional addons) and
 * fuse.js, which src/content/lookup.ts loads with require() on first use. The rest of tsc's output stays in dist/: the
 * content snapshot's builder runs from it, and the snapshot is keyed by the validator modules there.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src`;
const dist = `${root}dist`;

/**
 * Code that finds files beside itself (migrations, content, the snapshot, manifest.json) does so from import.meta.url,
 * expecting to run as dist/<its path>.js. Every bundle file sits directly in dist/, so each source file's
 * import.meta.url becomes the URL its tsc output would have, resolved from the bundle file's own.
 */
const importMetaAsUnbundled = {
  name: 'import-meta-url-as-unbundled',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const unbundled = `./${relative(src, args.path).replaceAll('\\', '/').replace(/\.ts$/, '.js')}`;
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(unbundled)}, import.meta.url).href`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

// The previous build's chunks (their names carry content hashes).
for (const name of await readdir(dist)) if (name.startsWith('bundle-')) await rm(`${dist}/${name}`);

await build({
  entryPoints: [`${src}/cli.ts`],
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'bundle-[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg-native', 'bufferutil', 'utf-8-validate', 'fuse.js'],
  // CommonJS packages inside an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __aipathRequire } from 'node:module'; const require = __aipathRequire(import.meta.url);" },
  plugins: [importMetaAsUnbundled],
  // Whitespace and syntax only, names kept (stack traces still name functions; dist/*.map maps them back): a start
  // holds less source in memory (RSS 300 ms after ready 85 MB instead of 102 MB, beside the bare app's 80 MB).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});

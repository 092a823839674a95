// Builds the GraphiQL page's assets into api/assets/graphiql/ (committed, so
// building hiregraph never needs Node). Reproducible: pinned versions in
// package-lock.json, no timestamps, no source maps, fixed file names.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../api/assets/graphiql');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { app: path.join(here, 'src/main.jsx') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  jsx: 'automatic',
  legalComments: 'eof',
  charset: 'utf8',
  // Fonts and images the stylesheets refer to go into the CSS as data: URLs.
  loader: { '.graphql': 'text', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const files = ['app.js', 'app.css'];
const sums = files
  .map((file) => {
    const hash = createHash('sha256').update(readFileSync(path.join(out, file))).digest('hex');
    return `${hash}  ${file}`;
  })
  .join('\n');
writeFileSync(path.join(out, 'SHA256SUMS'), `${sums}\n`);
console.log(sums);

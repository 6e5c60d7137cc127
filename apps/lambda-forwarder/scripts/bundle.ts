// Builds dist/lambda/index.mjs (one minified ESM file, AWS SDK included) and dist/lambda.zip for the nodejs20.x runtime.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import yazl from 'yazl';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'lambda');
const zipPath = join(root, 'dist', 'lambda.zip');

await mkdir(outDir, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'lambda.ts')],
  outfile: join(outDir, 'index.mjs'),
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['source'],
  legalComments: 'none',
  // Some AWS SDK dependencies still call require(); give the ESM bundle one.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
});

const zip = new yazl.ZipFile();
// A fixed mtime keeps the zip byte-identical across builds of the same code.
zip.addBuffer(await readFile(join(outDir, 'index.mjs')), 'index.mjs', { mtime: new Date(0), mode: 0o100644 });
await new Promise<void>((resolve, reject) => {
  zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  zip.end();
});
const { size } = await stat(zipPath);
console.log(`dist/lambda.zip ${(size / 1024).toFixed(1)} KiB (handler: index.handler, runtime nodejs20.x)`);

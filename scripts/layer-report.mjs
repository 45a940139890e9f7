// The layer report for a tree (default: this one): every import that goes upward in the order of
// eslint-layers.js, every file in no layer, and every import cycle in src/ (type-only imports
// count). Part of `npm run lint`, beside the eslint rules: it also sees a dynamic `import()`, which
// eslint's no-restricted-imports does not. Prints them all with counts, for a review or to measure
// another checkout: `node scripts/layer-report.mjs [ROOT]`.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { LAYERS, importCycles } from '../eslint-layers.js';

const src = path.join(process.argv[2] ?? '.', 'src');
const layerOf = (file) => {
  const top = file.includes('/') ? `${file.split('/')[0]}/` : file;
  return LAYERS.findIndex(({ parts }) => parts.includes(top));
};
/** The web page may import only core/; any other layer imports only its own and those below. */
const upward = (from, to) =>
  from.startsWith('web/')
    ? !to.startsWith('web/') && !to.startsWith('core/')
    : layerOf(to) >= 0 && layerOf(to) < layerOf(from);

const found = [];
/** A file outside every layer would be outside every rule: a new folder must be given its place. */
const unplaced = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (file.endsWith('.ts')) {
      const from = path.relative(src, file);
      if (!from.startsWith('web/') && layerOf(from) < 0) unplaced.push(from);
      for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const to = path.relative(src, path.resolve(dir, fileName)).replace(/\.js$/, '.ts');
        if (upward(from, to)) found.push(`${from} -> ${to}`);
      }
    }
  }
};
walk(src);
console.log(`upward imports: ${found.length}`);
for (const line of found) console.log(`  ${line}`);
if (unplaced.length > 0) console.log(`files in no layer (add them to LAYERS in eslint-layers.js): ${unplaced.length}`);
for (const file of unplaced) console.log(`  ${file}`);
const cycles = importCycles(src);
console.log(`import cycles: ${cycles.length}`);
for (const cycle of cycles) console.log(`  ${cycle.length} files: ${cycle.join(' ')}`);
process.exitCode = found.length + unplaced.length + cycles.length > 0 ? 1 : 0;

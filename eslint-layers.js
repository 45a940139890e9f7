// svc's layers, top to bottom (README "Layout"): a module may import its own layer and any layer
// below it, never one above. Turned into no-restricted-imports entries for eslint.config.js, and a
// rule that fails on any import cycle in src/ (type-only imports count: they tie the files too).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Each layer: its folders (`name/`) and top-level files (`name.ts`) under src/. */
export const LAYERS = [
  { layer: 'the CLI', parts: ['cli.ts', 'cli/'] },
  { layer: 'the launcher', parts: ['launch/'] },
  { layer: 'commands', parts: ['commands/'] },
  { layer: 'the composition root', parts: ['main-context.ts', 'server-context.ts'] },
  { layer: 'the supervisor', parts: ['supervisor/'] },
  { layer: 'the API', parts: ['api/'] },
  { layer: 'operations', parts: ['operations/'] },
  { layer: 'present', parts: ['present/'] },
  { layer: 'render', parts: ['render/'] },
  { layer: 'the contexts', parts: ['context.ts'] },
  { layer: 'settings and signals', parts: ['settings.ts', 'signals.ts'] },
  { layer: 'adapters', parts: ['adapters/'] },
  { layer: 'the engine', parts: ['engine/'] },
  { layer: 'core', parts: ['core/'] },
  { layer: 'errors and sleep', parts: ['errors.ts', 'sleep.ts'] },
];

/**
 * Inside the engine: the two backends never import each other, the shared engine imports neither,
 * and the ports import only ports.
 */
const ENGINE_PARTS = {
  'engine/local/': ['swarm/'],
  'engine/swarm/': ['local/'],
  'engine/': ['local/', 'swarm/'],
  'engine/ports/': ['local/', 'swarm/', '*.ts'],
};

/** The browser page: core's words and nothing else of the server's. */
const WEB_MAY_IMPORT = ['core/'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How an import written `depth` folders below src/ names a part: `../adapters/...`, `./errors.js`. */
const prefixAt = (depth) => (depth === 0 ? '\\./' : `(\\.\\./){${depth}}`);
const partPattern = (part) => (part.endsWith('/') ? escape(part) : `${escape(part.replace(/\.ts$/, '.js'))}$`);
const namesOf = (parts) => `(${parts.map(partPattern).join('|')})`;
const DEPTHS = [0, 1, 2, 3];
const filesAt = (part, depth) =>
  part.endsWith('/')
    ? depth === 0
      ? null
      : `src/${part}${Array(depth).fill('*').join('/')}.ts`
    : depth === 0
      ? `src/${part}`
      : null;

const restrict = (files, patterns) => ({
  files: [files],
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, caseSensitive: true })) }] },
});

const upwardPatterns = (index, depth) =>
  LAYERS.slice(0, index).map(({ layer, parts }) => ({
    regex: `^${prefixAt(depth)}${namesOf(parts)}`,
    message:
      `An upward import, from ${LAYERS[index].layer} into ${layer} (README "Layout"): import downward only; ` +
      'a port belongs in engine/ports, a shared helper below both of its users.',
  }));

const enginePatterns = (part) =>
  ENGINE_PARTS[part].map((inner) => ({
    regex: inner === '*.ts' ? '^\\.\\./[^/]+\\.js$' : `^${part === 'engine/' ? '\\./' : '\\.\\./'}${escape(inner)}`,
    message:
      inner === '*.ts'
        ? 'A port (engine/ports) names only svc types and other ports; the engine builds on the ports, not the reverse.'
        : 'engine/local and engine/swarm are two backends behind engine/backend.ts: ' +
          'neither imports the other, and the shared engine imports neither.',
  }));

export const layerRules = () => {
  const entries = [];
  LAYERS.forEach(({ parts }, index) => {
    for (const part of parts)
      for (const depth of DEPTHS) {
        if (part === 'engine/') continue;
        const files = filesAt(part, depth);
        if (files) entries.push(restrict(files, upwardPatterns(index, depth)));
      }
  });
  const engine = LAYERS.findIndex(({ parts }) => parts.includes('engine/'));
  entries.push(restrict('src/engine/*.ts', [...upwardPatterns(engine, 1), ...enginePatterns('engine/')]));
  for (const part of ['engine/local/', 'engine/swarm/', 'engine/ports/'])
    entries.push(restrict(`src/${part}*.ts`, [...upwardPatterns(engine, 2), ...enginePatterns(part)]));
  const serverParts = LAYERS.flatMap(({ parts }) => parts).filter((part) => !WEB_MAY_IMPORT.includes(part));
  for (const depth of [1, 2])
    entries.push(
      restrict(filesAt('web/', depth), [
        {
          regex: `^${prefixAt(depth)}${namesOf(serverParts)}`,
          message: 'The web page imports only core/ of the server.',
        },
      ]),
    );
  return entries;
};

/** src/'s relative imports, type-only and dynamic ones too, as resolved .ts paths. */
const importGraph = (srcDir) => {
  const graph = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
        const targets = importedFiles
          .map(({ fileName }) => fileName)
          .filter((name) => name.startsWith('.'))
          .map((name) => path.resolve(dir, name).replace(/\.js$/, '.ts'));
        graph.set(file, targets);
      }
    }
  };
  walk(srcDir);
  return graph;
};

/** Tarjan's strongly connected components of more than one file: each is a cycle. */
const cyclesOf = (graph) => {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file), index.get(target)));
    }
    if (low.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) cycles.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
};

/** One lint run reads src/ once; the cycle each file is in, by file. */
let cycleByFile = null;
const cycleOf = (srcDir, file) => {
  if (cycleByFile === null) {
    cycleByFile = new Map();
    for (const cycle of cyclesOf(importGraph(srcDir))) for (const member of cycle) cycleByFile.set(member, cycle);
  }
  return cycleByFile.get(file);
};

export const importCyclesPlugin = {
  rules: {
    'no-import-cycle': {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: 'No import cycle in src/, type-only imports included' },
      },
      create: (context) => ({
        Program: (node) => {
          const srcDir = path.join(context.cwd, 'src');
          const cycle = cycleOf(srcDir, context.filename);
          if (cycle)
            context.report({
              node,
              message:
                `This file is in an import cycle: ${cycle.map((f) => path.relative(srcDir, f)).join(', ')}. ` +
                'Move what both sides need below them.',
            });
        },
      }),
    },
  },
};

/** For scripts: every cycle in src/ (`node -e` in the README's Layout notes). */
export const importCycles = (srcDir) =>
  cyclesOf(importGraph(srcDir)).map((c) => c.map((f) => path.relative(srcDir, f)));

/**
 * The architecture, checked: which part of src/ may import which. `npm test` runs
 * `npm run arch` (dependency-cruiser) and fails on any import no rule below allows, naming it.
 *
 * Dependencies point inward: entry (main.ts, app.ts) and cli → http → domain → (engine,
 * adapters, reporting, db) → schemas → core. `workers` (the thread pool that runs the domain's
 * CPU steps) sits beside http: only the entry wires it in, and the domain sees it through a port. `core` (error codes, the vocabulary, network math,
 * shared result types) imports nothing of the project. The engine and the adapters are pure and
 * never import each other. Type-only imports are allowed in a few places where a layer passes a
 * value it never touches (http's deps bag names the database and catalogue types).
 * The web console (console/src, a browser application built by Vite) is a part of its own: it
 * imports its own files, packages, and the types generated from the service's OpenAPI document
 * (console/generated) — nothing of src/, so it has no power the public API does not give.
 * Change this file only when the design changes, and say why in the commit.
 */
const layer = (name) => `^src/${name}/`;
const parts = {
  core: '^src/(core/|version\\.ts$)',
  schemas: layer('schemas'),
  config: layer('config'),
  auth: layer('auth'),
  db: layer('db'),
  adapters: layer('adapters'),
  engine: layer('engine'),
  reporting: layer('reporting'),
  domain: layer('domain'),
  jobs: layer('jobs'),
  workers: layer('workers'),
  http: layer('http'),
  cli: layer('cli'),
  entry: '^src/(main|app)\\.ts$',
};
const may = (from, to, extra = {}) => ({
  from: { path: parts[from] },
  to: { path: to.map((t) => parts[t]).join('|'), ...extra },
});

module.exports = {
  allowedSeverity: 'error',
  allowed: [
    // a part may import its own files (and, in src/, packages from node_modules and node: builtins)
    { from: { path: '^src/([^/]+)/' }, to: { path: '^src/$1/' } },
    { from: { path: '^src/' }, to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'] } },
    // packages that are types only (@types/sarif is imported as 'sarif')
    { from: { path: '^src/' }, to: { path: '^sarif$', couldNotResolve: true } },
    // the console: its own files, packages, and the generated API types; never src/
    { from: { path: '^console/src/' }, to: { path: '^console/(src/|generated/openapi\\.d\\.ts$)' } },
    { from: { path: '^console/src/' }, to: { dependencyTypes: ['npm', 'npm-dev'] } },
    may('core', ['core']),
    may('schemas', ['core']),
    may('config', ['core', 'schemas']),
    may('auth', ['core', 'config']),
    may('db', ['core', 'schemas']),
    may('adapters', ['core', 'schemas']),
    may('engine', ['core', 'schemas']),
    may('reporting', ['core', 'schemas', 'config']),
    may('reporting', ['engine'], { dependencyTypes: ['type-only'] }),
    may('domain', ['core', 'schemas', 'config', 'auth', 'db', 'adapters', 'engine', 'reporting']),
    may('jobs', ['core', 'schemas', 'config', 'domain']),
    // the worker pool runs the domain's pure CPU steps (domain/work-steps.ts) in threads and
    // compiles the catalogue there; the domain only knows its port (domain/work.ts)
    may('workers', ['core', 'schemas', 'config', 'engine', 'domain']),
    may('http', ['core', 'schemas', 'config', 'auth', 'domain']),
    may('http', ['db', 'engine', 'reporting'], { dependencyTypes: ['type-only'] }),
    may('cli', ['core', 'schemas', 'config', 'auth', 'db', 'adapters', 'engine', 'reporting', 'domain', 'entry']),
    may('entry', ['entry', 'core', 'schemas', 'config', 'auth', 'db', 'engine', 'reporting', 'domain', 'jobs', 'http', 'workers']),
  ],
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle between files (type-only imports do not load anything, so they do not count)',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to no file',
      from: {},
      to: { couldNotResolve: true, pathNot: '^sarif$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};

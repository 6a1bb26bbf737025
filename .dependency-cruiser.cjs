// The layer rules (docs/architecture.md, "Layers"), checked by dependency-cruiser as a step of
// `npm test` (scripts/test.mjs) and proven able to fail by test/unit/layers.test.ts.
//   - electron/core is plain Node: it runs in the Electron main process, a worker, the CLI and the
//     browser-mode bridge, so it imports nothing of Electron, React, the renderer or the hosts.
//   - renderer/ runs in a sandboxed page: it reaches the core only through the contract in shared/,
//     never by importing it, and has no Node built-ins.
//   - shared/ is the contract every layer imports, so it imports nothing of theirs (packages such
//     as zod are fine, Node built-ins are not: the renderer imports shared/ too).
// Type-only imports count (.dependency-cruiser.babel.cjs keeps them): a type from the core in the
// renderer is the same coupling, even if the bundle drops it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-electron-or-react',
      comment: 'electron/core is plain Node: no Electron, no React (it also runs in the CLI, the bridge and workers).',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^node_modules/(electron|react|react-dom|@electron/[^/]+|electron-[^/]+)/' },
    },
    {
      name: 'core-imports-renderer-or-hosts',
      comment: 'electron/core knows nothing of the UI or of the hosts that run it (main, preload, cli, bridge, worker).',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^(renderer|electron/(main|preload|cli|bridge|worker))/' },
    },
    {
      name: 'renderer-imports-core',
      comment: 'renderer/ talks to the core only through the contract (shared/), never by importing electron/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-imports-node',
      comment: 'renderer/ runs in a sandboxed page: no Node built-ins.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-imports-outside',
      comment: 'shared/ is the contract all layers import: it imports only itself and packages (zod), no Node built-ins.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: '^(shared/|node_modules/)' },
    },
  ],
  options: {
    // TypeScript through Babel (see that file for why); @swc/core is installed only because
    // dependency-cruiser scans .ts/.tsx files only when it finds a TypeScript-capable parser.
    // An absolute path: test/unit/layers.test.ts runs these rules on a tree elsewhere.
    babelConfig: { fileName: require('node:path').join(__dirname, '.dependency-cruiser.babel.cjs') },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.cjs', '.js', '.json'] },
    // Build-tool suffixes (`../worker/dream?modulePath`) are resolved by electron-vite, not here.
    moduleSystems: ['es6', 'cjs'],
  },
};

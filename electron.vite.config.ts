// electron-vite builds the three Electron targets plus the dream worker, all from the same sources
// the CLI and the bridge run through tsx: electron/core is bundled unchanged into main and worker.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    // CommonJS (.cjs, since package.json is "type": "module"): __dirname works and the worker chunk
    // runs under plain Node too.
    // ESM-only dependencies are bundled in (not left to `require`): the CommonJS bundle and the worker
    // chunk then never depend on Node's require(esm), which is unavailable on older Node and untested
    // for modules inside an asar archive. Everything else stays external and ships in node_modules.
    build: { outDir: 'out/main', externalizeDeps: { exclude: ['lowdb', 'stream-json'] }, rollupOptions: { input: { index: 'electron/main/index.ts' }, output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' } } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { outDir: 'out/preload', rollupOptions: { input: { index: 'electron/preload/index.ts' }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', emptyOutDir: true, rollupOptions: { input: 'renderer/index.html' } },
  },
});

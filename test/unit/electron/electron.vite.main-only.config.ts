// The project's electron-vite config without the renderer: the main-bundle harness
// (test/integration/electron-main.test.ts) needs main, preload and the worker chunk only, built
// exactly as `npm run build` builds them, and should not depend on the UI compiling.
import config from '../../../electron.vite.config';

export default { main: config.main, preload: config.preload };

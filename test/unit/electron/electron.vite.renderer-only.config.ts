// The project's electron-vite config, renderer only: test/integration/electron-renderer.test.ts
// loads the built page in Chromium under the desktop app's CSP and preload API.
import config from '../../../electron.vite.config';

export default { renderer: config.renderer };

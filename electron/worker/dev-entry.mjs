// Plain-Node entry for the dream worker when core runs from TypeScript sources (tests, the bench,
// the CLI when its bundle cannot be built): register tsx's loader inside this thread (loader hooks
// are per thread), then run the real entry. Electron and the bundled CLI start their own bundled
// worker and never load this file (electron/core/platform/node.ts).
import { register } from 'tsx/esm/api';

register();
await import('./dream.ts');

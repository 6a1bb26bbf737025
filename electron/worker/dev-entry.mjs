// Plain-Node entry for the dream worker when core runs from TypeScript sources (CLI, bridge,
// tests): register tsx's loader inside this thread (loader hooks are per thread), then run the
// real entry. Electron uses the bundled worker and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./dream.ts');

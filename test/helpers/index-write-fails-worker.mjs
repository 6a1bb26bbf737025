// A dream worker whose observation index cannot be written (a full disk): it computes the dream
// with the real code, answers with the result, then fails. For test/integration/dream-contract.test.ts.
import { register } from 'tsx/esm/api';

register();
await import('./index-write-fails-worker-body.ts');

// Imported first by main.tsx, before any schema is built: zod's JIT compiles validators with
// `new Function`, which the app's Content-Security-Policy (no 'unsafe-eval') forbids. The probe is
// caught by zod, but it still logs a CSP violation at every start; jitless validation avoids both.
import { z } from 'zod';

z.config({ jitless: true });

#!/usr/bin/env node
// Runs the CLI from its TypeScript sources through tsx (no build step needed for the CLI).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

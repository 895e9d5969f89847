#!/usr/bin/env node
// The `renderio-convert` command: loads the TypeScript CLI through tsx's ESM loader, so the bin
// runs from a checkout without a build step. See docs/CLI.md.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');

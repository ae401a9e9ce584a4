#!/usr/bin/env node
// The `pitchcase` command. Sources are TypeScript; tsx compiles them on the fly so the CLI
// always runs the code in this checkout (the packaged app bundles its own entry points).
import { register } from 'tsx/esm/api';

register();
await import('./index.ts');

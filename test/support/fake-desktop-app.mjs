#!/usr/bin/env node
// Stands in for the installed Pitchcase executable in `pitchcase leads export` tests: the real
// headless export (parseLaunchArgs + exportLeadsHeadless) with a reversible fake OS keystore,
// the same one test/support/fake-keystore.ts seals with. Point PITCHCASE_APP at this file.
import { register } from 'tsx/esm/api';

register();
const { runFakeDesktopApp } = await import('./fake-desktop-app-main.ts');
process.exitCode = runFakeDesktopApp(process.argv);

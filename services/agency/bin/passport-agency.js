#!/usr/bin/env node
// One agency's service, started from its installation: `passport-agency --config <file>`. The service is
// TypeScript run through tsx, as in the repository, so the installed package runs the reviewed sources.
/* eslint-disable @typescript-eslint/no-require-imports -- tsx's CommonJS hook must load before the .ts entry */
require('tsx/cjs');
require('../src/main.ts');

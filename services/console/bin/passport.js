#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like every other tool of the repository.
/* eslint-disable @typescript-eslint/no-require-imports -- tsx's CommonJS hook must load before the .ts entry */
require('tsx/cjs');
require('../src/cli.ts');

#!/usr/bin/env node
// The iotypes command. The implementation lives in cli/ and is bundled into dist/cli.js.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));

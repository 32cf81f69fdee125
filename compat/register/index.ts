// Layer: compat (public subpath `iotypes/register`). Imports this folder and node:* only.
// A preload: `node --import iotypes/register app.js` (or `node -r iotypes/register app.cjs`)
// makes every import and require of `node:wasi` or `wasi` in the process, in the main thread
// and in every worker thread (a Worker runs its parent's --import and -r again), load iotypes'
// drop-in instead. Options come from the environment: IOTYPES_TRACE, IOTYPES_READONLY,
// IOTYPES_DIRS (see install.ts).

import process from 'node:process';
import { install, optionsFromEnv, type RegisterOptions } from './install.js';

/** The options this preload installed with (read from the environment). */
export const registered: Readonly<RegisterOptions> = Object.freeze(optionsFromEnv(process.env));

install(registered);

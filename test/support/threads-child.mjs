// Runs a wasi-threads module (a .wat file, assembled with wabt) through iotypes/threads and exits
// with its exit code. Usage: node threads-child.mjs FILE.wat [threads]
import { readFileSync } from 'node:fs';
import { runThreaded } from 'iotypes/threads';
import initWabt from 'wabt';

const [file, threads] = process.argv.slice(2);
const wabt = await initWabt();
const parsed = wabt.parseWat(file, readFileSync(file, 'utf8'), { threads: true, bulk_memory: true });
const bytes = new Uint8Array(parsed.toBinary({}).buffer);
parsed.destroy();
const code = await runThreaded(bytes, { args: ['spawn'], ...(threads === undefined ? {} : { threads: Number(threads) }) });
process.exit(code);

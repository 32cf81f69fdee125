// iotypes/threads: a wasi-threads command (test/threads/spawn.wat) whose main thread spawns
// three threads through wasi.thread-spawn (@emnapi/wasi-threads), each writing to stdout with
// its own iotypes WASI instance over the shared memory, and waits for them with
// memory.atomic.wait32. Run in a child process, as the threads are Workers of the built package.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importsThreadSpawn, memoryImport, runThreaded } from 'iotypes/threads';
import initWabt from 'wabt';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const WAT = join(__dirname, 'threads', 'spawn.wat');

function run(...extra: string[]) {
  return spawnSync(process.execPath, [join(__dirname, 'support', 'threads-child.mjs'), WAT, ...extra], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

async function assemble(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await initWabt();
  const parsed = wabt.parseWat('t.wat', text, { threads: true, bulk_memory: true });
  try {
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

describe('wasi-threads programs', () => {
  it('spawns threads that write through their own WASI instances, and the main thread waits for them', () => {
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines.slice(0, 3).sort()).toEqual(['thread 0', 'thread 1', 'thread 2']);
    expect(lines[3]).toBe('main done');
    expect(lines).toHaveLength(4);
    expect(r.stderr).toBe('');
  });

  it('starts more workers than the preloaded pool when the program asks for them', () => {
    const r = run('1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '').sort()).toEqual(['main done', 'thread 0', 'thread 1', 'thread 2']);
  });

  it('reads the imported memory and its limits from the module', async () => {
    const bytes = await assemble(readFileSync(WAT, 'utf8'));
    expect(memoryImport(bytes)).toEqual({ module: 'env', name: 'memory', initial: 1, maximum: 16, shared: true });
    expect(importsThreadSpawn(new WebAssembly.Module(bytes))).toBe(true);
  });

  it('refuses a module that does not import wasi.thread-spawn, or no shared memory', async () => {
    const plain = await assemble('(module (memory (export "memory") 1) (func (export "_start")))');
    await expect(runThreaded(plain)).rejects.toThrow('runThreaded: the module does not import wasi.thread-spawn');
    const unshared = await assemble('(module (import "wasi" "thread-spawn" (func (param i32) (result i32))) (import "env" "memory" (memory 1)) (func (export "_start")))');
    await expect(runThreaded(unshared)).rejects.toThrow('runThreaded: a wasi-threads module imports a shared memory with a maximum size');
  });
});

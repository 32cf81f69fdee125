// Layer: abi. Imports src/errno and src/abi only.
// The call tracer: one line per call with decoded arguments and the result, like strace.

import { errnoName } from '../errno/index.js';
import type { GuestMemory } from './memory.js';
import { SIGNATURES, type Preview1Name } from './signatures.js';

/** Receives one formatted line per call. */
export type Tracer = (line: string) => void;

/** Formats a call: strings named by (ptr, len) pairs are decoded, the rest printed as numbers. */
export function describeCall(
  name: Preview1Name, args: readonly (number | bigint)[], memory: () => GuestMemory,
  errno: number | undefined, thrown?: unknown,
): string {
  const params: readonly string[] = SIGNATURES[name];
  const parts: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const v = args[i];
    const decoded = (q: string) => /path$/.test(q) && params[params.indexOf(q) + 1] === `${q}_len` && name !== 'fd_prestat_dir_name';
    if (p.endsWith('_len') && decoded(p.slice(0, -4))) continue;
    if (decoded(p)) {
      parts.push(`${p}=${quoted(memory, Number(v) >>> 0, Number(args[i + 1]) >>> 0)}`);
    } else {
      parts.push(`${p}=${typeof v === 'bigint' ? BigInt.asUintN(64, v).toString() : Number(v) >>> 0}`);
    }
  }
  const result = thrown !== undefined
    ? `threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`
    : errno === 0 ? '0' : `${errno} (E${errnoName(errno ?? 0).toUpperCase()})`;
  return `${name}(${parts.join(', ')}) = ${result}`;
}

function quoted(memory: () => GuestMemory, ptr: number, len: number): string {
  try {
    return JSON.stringify(memory().string(ptr, len));
  } catch {
    return `<${len} bytes at ${ptr}>`;
  }
}

// Layer: preview2. Imports this folder only.
// Tracing of component calls: one line per call across the component boundary, with its
// arguments and its result or error, given to the tracer of the host the call belongs to.

/** Receives one line per call; undefined when not tracing. */
export type Trace = ((line: string) => void) | undefined;

function show(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const name = v.constructor?.name;
    if (name && name !== 'Object') return `<${name}>`;
    // A WIT flags value (only booleans) shows the flags that are set: {create, write}.
    const values = Object.values(v);
    if (values.length > 0 && values.every((x) => typeof x === 'boolean')) {
      return `{${Object.keys(v).filter((k) => (v as Record<string, boolean>)[k]).join(', ')}}`;
    }
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  }
  return String(v);
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Calls `f`, reporting the call to `trace` when there is one. */
export function traceCall<T>(trace: Trace, label: string, args: readonly unknown[], f: () => T): T {
  if (!trace) return f();
  const call = `${label}(${args.filter((a) => a !== undefined).map(show).join(', ')})`;
  try {
    const result = f();
    trace(`${call}${result === undefined ? '' : ` → ${show(result)}`}`);
    return result;
  } catch (e) {
    const payload = (e as { payload?: unknown } | null)?.payload;
    trace(`${call} → err(${payload === undefined ? String(e) : typeof payload === 'object' ? show((payload as { tag: string }).tag) : show(payload)})`);
    throw e;
  }
}

/**
 * Routes every method of a resource class through `traceCall`, with the tracer of the
 * instance's host (`waiter.trace`). Without a tracer a call costs one property read.
 */
export function traceMethods(cls: { prototype: object }, resource: string): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const f = proto[name];
    if (name === 'constructor' || typeof f !== 'function') continue;
    const label = `[method]${resource}.${kebab(name)}`;
    proto[name] = function (this: { waiter: { trace: Trace } }, a?: unknown, b?: unknown, c?: unknown, d?: unknown): unknown {
      const trace = this.waiter.trace;
      if (!trace) return (f as (...x: unknown[]) => unknown).call(this, a, b, c, d);
      return traceCall(trace, label, [a, b, c, d], () => (f as (...x: unknown[]) => unknown).call(this, a, b, c, d));
    };
  }
}

// Layer: compat (build entry `register/hooks`, loaded by module.register, not imported). Imports
// nothing.
// The ESM customization hooks behind `iotypes/register`: `node:wasi` and `wasi` resolve to the
// module whose URL install() passes as `data.target` (it exports iotypes' WASI class).

interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: unknown) => ResolveResult | Promise<ResolveResult>;

let target: string | undefined;

export function initialize(data: { target?: unknown } | undefined): void {
  if (typeof data?.target !== 'string') throw new TypeError('iotypes/register: the hooks need the URL of the module that replaces node:wasi');
  target = data.target;
}

export function resolve(specifier: string, context: unknown, next: NextResolve): ResolveResult | Promise<ResolveResult> {
  if ((specifier === 'node:wasi' || specifier === 'wasi') && target !== undefined) {
    return { url: target, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

// Example: serves the repository folder for the page in examples/web (npm run example:web).
// Builds nothing: the page imports the built package from dist/ (npm run build) and xterm.js
// from node_modules, so it runs without the network. Every answer carries the headers that make
// the page cross-origin isolated (SharedArrayBuffer, for a worker that waits on one).
//   node examples/web/serve.mjs [--port N] [--host H]      (defaults: 8080, 127.0.0.1)
import { existsSync, createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PAGE = '/examples/web/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.c': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** The file under the repository folder that `pathname` names, or undefined. */
function fileOf(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  let file = resolve(ROOT, `.${path}`);
  if (file !== ROOT && !file.startsWith(ROOT + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** An http.Server for the repository folder (not yet listening). */
export function exampleServer() {
  return createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...ISOLATED }).end();
      return;
    }
    if (pathname === '/' || pathname === '/examples/web') {
      res.writeHead(302, { location: PAGE, ...ISOLATED }).end();
      return;
    }
    const file = fileOf(pathname);
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...ISOLATED }).end(`not found: ${pathname}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      ...ISOLATED,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined) throw new Error(`serve.mjs: --${name} needs a value`);
  return value;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(option('port', process.env.PORT ?? '8080'));
  const host = option('host', '127.0.0.1');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`serve.mjs: bad port ${port}`);
  for (const needed of ['dist/index.js', 'node_modules/@xterm/xterm/lib/xterm.mjs']) {
    if (!existsSync(join(ROOT, needed))) {
      console.error(`serve.mjs: ${needed} is missing: run ${needed.startsWith('dist') ? 'npm run build' : 'npm ci'} first`);
      process.exit(1);
    }
  }
  const server = exampleServer();
  server.on('error', (e) => {
    console.error(`serve.mjs: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    const { port: actual } = server.address();
    const shown = host.includes(':') ? `[${host}]` : host;
    console.log(`iotypes in a browser: http://${shown}:${actual}${PAGE}`);
  });
}

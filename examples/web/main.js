// Example (examples/web): a wasm32-wasi program in a web page, on a real terminal. The person
// picks a .wasm and some files; the program runs with JSPI (WASI { async: true }), or in a worker
// (runInWorker) where the browser has no JSPI. Its stdin is a PushSource fed by what is typed,
// its stdout and stderr go to an xterm.js terminal, and its "/" is a folder of the origin private
// file system (kept across reloads) whose files are listed, live, with download links. Served by
// serve.mjs beside it.
import { WASI, PushSource, fromAsyncSource, hasJspi, onChunk, wasiImportProblem } from '/dist/index.js';
import { Terminal } from '/node_modules/@xterm/xterm/lib/xterm.mjs';
import { FitAddon } from '/node_modules/@xterm/addon-fit/lib/addon-fit.mjs';
import { runInWorker } from '/dist/browser.js';
import { openFolder } from './folder.js';

const $ = (id) => document.getElementById(id);

const term = new Terminal({ convertEol: true, cursorBlink: true, fontSize: 14, scrollback: 5000 });
const fit = new FitAddon();
term.loadAddon(fit);
term.open($('terminal'));
fit.fit();
addEventListener('resize', () => fit.fit());

const folder = await openFolder('iotypes-example');
$('storage').textContent = folder.persistent
  ? 'Kept in this browser (origin private file system): the files survive a reload.'
  : 'Kept in memory: a reload forgets these files.';

/** The program to run: { name, bytes }. */
let program;
/** Where typed keys go while a program runs (its line discipline), else nowhere. */
let typed = () => {};

function status(text, problem = false) {
  $('status').textContent = text;
  $('status').classList.toggle('problem', problem);
}
function setState(state) {
  document.body.dataset.state = state;
  $('run').disabled = state === 'running';
  $('clear').disabled = state === 'running';
}

term.onData((data) => typed(data));

/**
 * A terminal's line discipline in front of `source`: echoes what is typed, lets Backspace edit
 * the line, sends it with "\n" on Enter, and ends the input on Ctrl-D at the start of a line (a
 * Ctrl-D after some text sends that text without a newline, as a terminal does).
 */
function lineDiscipline(source) {
  let line = '';
  return (data) => {
    if (source.ended || data.startsWith('\x1b')) return; // arrows and other keys: no editing
    for (const ch of data) {
      if (ch === '\r') {
        term.write('\r\n');
        source.push(`${line}\n`);
        line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (line === '') continue;
        line = Array.from(line).slice(0, -1).join('');
        term.write('\b \b');
      } else if (ch === '\x04') {
        if (line === '') {
          source.end();
          return;
        }
        source.push(line);
        line = '';
      } else if (ch >= ' ' || ch === '\t') {
        line += ch;
        term.write(ch);
      }
    }
  };
}

/** Words of the arguments field, with '…' or "…" keeping spaces inside one argument. */
function splitArgs(text) {
  return Array.from(text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g), (m) => m[1] ?? m[2] ?? m[3]);
}

// The folder's listing, redrawn when it changes.
let shown = '';
let tail = Promise.resolve();
let queued; // a redraw that has not started yet: later calls share it
function refreshListing() {
  queued ??= tail = tail.then(() => {
    queued = undefined;
    return redrawListing().catch((e) => status(`listing the folder failed: ${e.message ?? e}`, true));
  });
  return queued;
}
async function redrawListing() {
  const files = (await folder.list()).sort((a, b) => a.path.localeCompare(b.path));
  const key = JSON.stringify(files);
  if (key === shown) return;
  shown = key;
  $('listing').replaceChildren(
    ...files.map(({ path, size }) => {
      const link = Object.assign(document.createElement('a'), { href: '#', textContent: path, title: `download ${path}` });
      link.dataset.path = path;
      link.addEventListener('click', (e) => {
        e.preventDefault();
        void download(path);
      });
      const li = document.createElement('li');
      const bytes = Object.assign(document.createElement('span'), { className: 'size', textContent: size === undefined ? '?' : `${size} B` });
      li.append(link, bytes);
      return li;
    }),
  );
}
async function download(path) {
  const url = URL.createObjectURL(new Blob([await folder.read(path)]));
  const a = Object.assign(document.createElement('a'), { href: url, download: path.split('/').pop() });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function putFiles(list, pathOf) {
  for (const file of list) await folder.put(pathOf(file), new Uint8Array(await file.arrayBuffer()));
  await refreshListing();
  status(`${list.length} file${list.length === 1 ? '' : 's'} added to the program's folder`);
}

$('program').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  program = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  $('example').value = '';
  status(`program: ${program.name}`);
});
$('example').addEventListener('change', async (e) => {
  const name = e.target.value;
  if (!name) return;
  const res = await fetch(`/examples/${name}`);
  if (!res.ok) return status(`could not load ${name}: ${res.status}`, true);
  program = { name, bytes: new Uint8Array(await res.arrayBuffer()) };
  $('program').value = '';
  status(`program: ${name}`);
});
$('files').addEventListener('change', (e) => putFiles(e.target.files, (f) => f.name));
// A picked folder's contents become the program's "/" (its own name is left out).
$('folder').addEventListener('change', (e) => putFiles(e.target.files, (f) => f.webkitRelativePath.split('/').slice(1).join('/')));

$('clear').addEventListener('click', async () => {
  await folder.clear();
  await refreshListing();
  status("the program's folder is empty");
});

$('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});

async function run() {
  if (!program) return status('Pick a .wasm program first.', true);
  let module;
  try {
    module = await WebAssembly.compile(program.bytes);
  } catch (e) {
    return status(`${program.name} is not a WebAssembly module: ${e.message}`, true);
  }
  const problem = wasiImportProblem(program.bytes);
  if (problem) return status(`${program.name}: ${problem}`, true);
  const jspi = hasJspi();
  if (!jspi && !folder.asyncDirectory) {
    const text =
      'This browser has no JavaScript Promise Integration (JSPI), which lets a program wait for what you type, ' +
      'and no origin private file system for a program in a worker. Use Chromium 137 or newer (Chrome, Edge, Opera).';
    status(text, true);
    term.writeln(`\x1b[31m${text}\x1b[0m`);
    return;
  }

  const stdin = new PushSource();
  const args = [program.name, ...splitArgs($('args').value)];
  const env = { TERM: 'xterm-256color', COLUMNS: String(term.cols), LINES: String(term.rows) };
  const write = (bytes) => term.write(bytes);
  let start;
  if (jspi) {
    // In the page, the program suspended (JSPI) whenever it waits for typing or storage.
    const wasi = new WASI({
      async: true, args, env,
      preopens: { '/': folder.directory() },
      stdin: fromAsyncSource(stdin),
      stdout: onChunk(write),
      stderr: onChunk(write),
      tty: { stdin: true, stdout: true, stderr: true },
    });
    let instance;
    try {
      instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    } catch (e) {
      return status(`${program.name} cannot start: ${e.message}`, true);
    }
    start = () => wasi.startAsync(instance);
  } else {
    // In a worker, blocked while this page answers (it needs the cross-origin isolation serve.mjs gives).
    start = async () => {
      const preopens = { '/': folder.asyncDirectory() };
      return (await runInWorker(module, { args, env, preopens, stdin, stdout: write, stderr: write })).exitCode;
    };
  }
  setState('running');
  status(jspi ? `running ${program.name}` : `running ${program.name} in a worker (this browser has no JSPI)`);
  typed = lineDiscipline(stdin);
  term.focus();
  const live = setInterval(() => void refreshListing(), 500);
  let end;
  try {
    end = `exited with code ${await start()}`;
  } catch (e) {
    end = e instanceof WebAssembly.RuntimeError ? `stopped by a trap: ${e.message}` : `failed: ${e.message ?? e}`;
  } finally {
    clearInterval(live);
    typed = () => {};
    await folder.settled(); // the closes of the files the program left open
  }
  term.writeln(`\x1b[2m[${program.name} ${end}]\x1b[0m`);
  status(`${program.name} ${end}`);
  await refreshListing();
  setState('exited');
}

await refreshListing();
setState('idle');
document.body.dataset.ready = 'true';

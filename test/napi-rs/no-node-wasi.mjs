// Preload for the napi-rs tests, given with --import before iotypes/register (so it sees only
// what iotypes/register lets through). In every thread it records its start, and every load of
// node:wasi (ESM import, require(), or the builtin left in the main thread's load list), in the
// file NAPI_PROBE_LOG. With NAPI_PROBE_FORBID=1 a load of node:wasi also throws.
import { appendFileSync } from 'node:fs'
import Module, { register } from 'node:module'
import process from 'node:process'
import { isMainThread, threadId } from 'node:worker_threads'

const log = process.env.NAPI_PROBE_LOG
const forbid = process.env.NAPI_PROBE_FORBID === '1'
if (!log) throw new Error('no-node-wasi.mjs: set NAPI_PROBE_LOG')
const note = (line) => appendFileSync(log, `${line}\n`)

note(`thread ${threadId}`)
register('./no-node-wasi-hooks.mjs', import.meta.url, { data: { log, forbid } })
const load = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'node:wasi' || request === 'wasi') {
    note(`node:wasi required in thread ${threadId}`)
    if (forbid) throw new Error('node:wasi was required')
  }
  return load.call(this, request, parent, isMain)
}
if (isMainThread) {
  process.on('exit', () => {
    if (process.moduleLoadList.includes('NativeModule wasi')) note('node:wasi in the main thread\'s module list')
  })
}

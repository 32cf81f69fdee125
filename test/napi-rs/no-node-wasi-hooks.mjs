// The ESM half of no-node-wasi.mjs: records (and with forbid, refuses) every import of node:wasi.
import { appendFileSync } from 'node:fs'

let log
let forbid = false
export function initialize(data) {
  log = data.log
  forbid = data.forbid
}
export function resolve(specifier, context, next) {
  if (specifier === 'node:wasi' || specifier === 'wasi') {
    appendFileSync(log, `node:wasi imported by ${context.parentURL}\n`)
    if (forbid) throw new Error(`node:wasi was imported by ${context.parentURL}`)
  }
  return next(specifier, context)
}

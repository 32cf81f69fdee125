// The table of bench/jspi.mjs, for it and for bench/run.mjs (which runs it in a child).
const fmt = (ns) => (ns >= 100 ? Math.round(ns).toLocaleString('en-US') : ns.toPrecision(3));

/** Markdown rows: ns per call, with each asynchronous column's ratio to its synchronous one. */
export function jspiTable(rows) {
  const lines = [
    '| call | sync | jspi (sync objects) | jspi+promise (a promise per operation) | host sync | host async (node:fs/promises) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const r = row.results;
    const cell = (id, base) => {
      if (!r[id]) return '—';
      const ratio = base && r[base] ? ` (${(r[id].nsPerOp / r[base].nsPerOp).toFixed(1)}x)` : '';
      return `${fmt(r[id].nsPerOp)} ns${ratio}`;
    };
    lines.push(`| ${row.what} | ${cell('sync')} | ${cell('jspi', 'sync')} | ${cell('jspi+promise', 'sync')} | ${cell('host sync')} | ${cell('host async', 'host sync')} |`);
  }
  return lines.join('\n');
}

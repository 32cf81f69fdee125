// Two guests on one folder: a sandbox must hold whatever the other guest does meanwhile. A short
// race here; `npm run test:race` races longer (RACE_SECONDS per run, default 30).
import { hasJspi } from 'iotypes';
import { describe, expect, it } from 'vitest';
import { race, type RaceBackend } from './support/race.js';

const seconds = Number(process.env.RACE_SECONDS ?? 2);

function holds(r: Awaited<ReturnType<typeof race>>): void {
  expect(r.swaps).toBeGreaterThan(0);
  expect(r.tries).toBeGreaterThan(0);
  expect(r.outsideChanges).toEqual([]);
  expect(r.outsideReads).toBe(0);
  expect(r.outsideLists).toBe(0);
}

describe.runIf(process.platform === 'linux')(`two guests racing on one folder for ${seconds} s`, () => {
  for (const via of ['cli', 'workers'] as const) {
    it(`never reach outside it (${via === 'cli' ? 'two iotypes run processes' : 'two WASI instances in worker threads'})`, async () => {
      const r = await race(seconds, via);
      console.log(`race via ${via}, ${seconds} s: ${r.stdout.trim().replace(/\n/g, '; ')}; outside changes ${r.outsideChanges.length}`);
      holds(r);
    }, (seconds + 60) * 1000);
  }

  // Node.js 20 has no JSPI; CI runs this file on Node 24 and 26 too.
  const cases: [string, { swap: RaceBackend; use: RaceBackend }][] = [
    ['the user on node:fs/promises, the swapper synchronous', { swap: 'descriptor', use: 'async' }],
    ['both on node:fs/promises', { swap: 'async', use: 'async' }],
  ];
  for (const [title, backends] of cases) {
    it.skipIf(!hasJspi())(`never reach outside it (worker threads, ${title}, JSPI)`, async () => {
      const r = await race(seconds, 'workers', backends);
      console.log(`race, ${title}, ${seconds} s: ${r.stdout.trim().replace(/\n/g, '; ')}; outside changes ${r.outsideChanges.length}`);
      holds(r);
    }, (seconds + 60) * 1000);
  }
});

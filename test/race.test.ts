// Two guests on one folder: a sandbox must hold whatever the other guest does meanwhile. A short
// race here; `npm run test:race` races longer (RACE_SECONDS per run, default 30).
import { describe, expect, it } from 'vitest';
import { race } from './support/race.js';

const seconds = Number(process.env.RACE_SECONDS ?? 2);

describe.runIf(process.platform === 'linux')(`two guests racing on one folder for ${seconds} s`, () => {
  for (const via of ['cli', 'workers'] as const) {
    it(`never reach outside it (${via === 'cli' ? 'two iotypes run processes' : 'two WASI instances in worker threads'})`, async () => {
      const r = await race(seconds, via);
      console.log(`race via ${via}, ${seconds} s: ${r.stdout.trim().replace(/\n/g, '; ')}; outside changes ${r.outsideChanges.length}`);
      expect(r.swaps).toBeGreaterThan(0);
      expect(r.tries).toBeGreaterThan(0);
      expect(r.outsideChanges).toEqual([]);
      expect(r.outsideReads).toBe(0);
      expect(r.outsideLists).toBe(0);
    }, (seconds + 60) * 1000);
  }
});

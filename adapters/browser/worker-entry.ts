// Layer: adapters/browser (build entry `browser-worker`, started as a module Worker by
// runInWorker, not imported). Imports src/async-run only.
// Runs the guest of the first message synchronously (see src/async-run.ts).

import { guestMain } from '../../src/async-run.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (e) => {
  scope.onmessage = null;
  guestMain(e.data, (message, transfer) => scope.postMessage(message, transfer));
};

// Layer: adapters/node (build entry `node-worker`, started as a worker thread by runInWorker,
// not imported). Imports src/async-run and node:worker_threads only.
// Runs the guest of the first message synchronously (see src/async-run.ts).

import { parentPort } from 'node:worker_threads';
import { guestMain } from '../../src/async-run.js';

const port = parentPort;
if (port === null) throw new Error('iotypes: node-worker.js runs only as a worker thread (runInWorker)');
port.once('message', (message: unknown) => guestMain(message, (m, transfer) => port.postMessage(m, transfer)));

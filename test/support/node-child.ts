// Runs a Node.js script as a child process and collects its exit status and output.
import { spawn } from 'node:child_process';

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node script ...args`, with `stdin` written to it (or no stdin at all when undefined). */
export function runNode(script: string, args: readonly string[], options: { cwd: string; stdin?: string }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (options.stdin !== undefined) {
      child.stdin!.on('error', () => {}); // a program may exit without reading all of its stdin
      child.stdin!.end(options.stdin);
    }
  });
}

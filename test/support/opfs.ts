// Test support: an in-memory stand-in for an origin private file system access handle.
import type { FileSystemSyncAccessHandle } from 'iotypes/browser';

/** An in-memory stand-in for an OPFS FileSystemSyncAccessHandle, moving at most 3 bytes a call. */
export class FakeHandle implements FileSystemSyncAccessHandle {
  bytes = new Uint8Array(0);
  flushes = 0;
  close(): void {}
  flush(): void {
    this.flushes++;
  }
  getSize(): number {
    return this.bytes.length;
  }
  read(buffer: ArrayBufferView, options?: { at: number }): number {
    const into = new Uint8Array(buffer.buffer, buffer.byteOffset, Math.min(3, buffer.byteLength));
    const part = this.bytes.subarray(options?.at ?? 0, (options?.at ?? 0) + into.length);
    into.set(part);
    return part.length;
  }
  truncate(to: number): void {
    const next = new Uint8Array(to);
    next.set(this.bytes.subarray(0, to));
    this.bytes = next;
  }
  write(buffer: ArrayBufferView, options?: { at: number }): number {
    const from = new Uint8Array(buffer.buffer, buffer.byteOffset, Math.min(3, buffer.byteLength));
    const at = options?.at ?? 0;
    if (at + from.length > this.bytes.length) this.truncate(at + from.length);
    this.bytes.set(from, at);
    return from.length;
  }
}

// Layer: abi. Imports nothing.
// A reader of the WebAssembly binary format, for the checks made on a module before it runs
// (imports.ts, shape.ts). The module has compiled already, so it is well formed; the reader
// still refuses to run past the end.

export class BinaryReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    const b = this.bytes[this.pos++];
    if (b === undefined) throw new RangeError('unexpected end of module');
    return b;
  }
  /** An unsigned LEB128 number of at most 32 bits. */
  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      if (shift > 28) throw new RangeError('LEB128 too long');
    }
  }
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
  /** Skips the limits of a table or memory. */
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  /** Skips a value type: one byte, or a typed reference (0x63/0x64) and its heap type. */
  valtype(): void {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) while (this.byte() & 0x80);
  }
}

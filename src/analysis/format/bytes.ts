// Unsigned integers read byte by byte. V8 inlines these into the parse loops, where Buffer's readUInt32LE and
// friends (range-checked calls) cost several times the rest of the record's work. Callers check bounds first.

export const u16be = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
export const u16le = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8);
export const u32be = (b: Uint8Array, p: number): number => b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
export const u32le = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;

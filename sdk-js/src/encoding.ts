/**
 * The encoding primitives of docs/protocol.md section 1: `lp(x)`, `u32(n)`, `u64(n)` and the sort order of names.
 * Every to-be-signed string and every AAD is built from these and nothing else.
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** The UTF-8 bytes of a string. */
export function utf8(value: string): Uint8Array {
  return encoder.encode(value);
}

/** The string of UTF-8 bytes; throws on bytes that are not valid UTF-8, rather than replacing them. */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/** `u32(n)`: 4-byte big-endian unsigned. */
export function u32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`value ${value} does not fit u32`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/** `u64(n)`: 8-byte big-endian two's complement. A number must be a safe integer (epoch milliseconds are). */
export function u64(value: number | bigint): Uint8Array {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new RangeError(`value ${value} is not a safe integer`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), false);
  return out;
}

/** `lp(x)`: the 4-byte big-endian length of `x`, then `x`; a string is written as its UTF-8 bytes. */
export function lp(value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === "string" ? utf8(value) : value;
  return concat(u32(bytes.length), bytes);
}

/** The parts one after the other. */
export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  let length = 0;
  for (const part of parts) {
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Ascending unsigned byte order of the UTF-8 names (section 1): negative when `a` comes first. */
export function compareNames(a: string, b: string): number {
  const x = utf8(a);
  const y = utf8(b);
  const shorter = Math.min(x.length, y.length);
  for (let i = 0; i < shorter; i++) {
    const difference = (x[i] as number) - (y[i] as number);
    if (difference !== 0) {
      return difference;
    }
  }
  return x.length - y.length;
}

/**
 * The names in protocol order (ascending unsigned byte order of their UTF-8); throws on a name given twice, which
 * no protocol list may hold (section 1).
 */
export function sortedNames(names: readonly string[]): string[] {
  const sorted = [...names].sort(compareNames);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new RangeError(`field name '${sorted[i]}' appears twice`);
    }
  }
  return sorted;
}

/** Whether the names are already in strictly ascending protocol order (so also free of repeats). */
export function isStrictlySorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) {
    if (compareNames(names[i - 1] as string, names[i] as string) >= 0) {
      return false;
    }
  }
  return true;
}

/** Lowercase hex of the bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes of a hex string of even length; throws on anything else, rather than stopping at the first bad digit. */
export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new RangeError(`not a hex string of whole bytes (${text.length} characters)`);
  }
  return new Uint8Array(Buffer.from(text, "hex"));
}

/** Whether two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

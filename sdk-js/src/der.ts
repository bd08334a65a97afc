/**
 * Just enough DER to read the PKCS#8 structures of docs/protocol.md section 2: tag, length and value of each
 * element, definite lengths only, every length checked against what is left.
 */

export const TAG_INTEGER = 0x02;
export const TAG_OCTET_STRING = 0x04;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

/** One element: its tag and its value's bytes. */
export interface DerElement {
  tag: number;
  value: Uint8Array;
}

/** A structure that is not the DER expected; the message says what, never the bytes. */
export class DerError extends Error {}

/** The elements, one after the other, that fill `bytes` exactly. */
export function elements(bytes: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = bytes[offset] as number;
    if ((tag & 0x1f) === 0x1f) {
      throw new DerError("multi-byte DER tags are not used here");
    }
    let length = bytes[offset + 1];
    offset += 2;
    if (length === undefined) {
      throw new DerError("DER element is cut short");
    }
    if (length >= 0x80) {
      const lengthBytes = length & 0x7f;
      if (lengthBytes === 0 || lengthBytes > 4) {
        throw new DerError("DER length is indefinite or too long");
      }
      length = 0;
      for (let i = 0; i < lengthBytes; i++) {
        const next = bytes[offset + i];
        if (next === undefined) {
          throw new DerError("DER length is cut short");
        }
        length = length * 256 + next;
      }
      offset += lengthBytes;
    }
    if (length > bytes.length - offset) {
      throw new DerError("DER element is longer than what holds it");
    }
    out.push({ tag, value: bytes.subarray(offset, offset + length) });
    offset += length;
  }
  return out;
}

/** The one element `bytes` holds, of the given tag. */
export function single(bytes: Uint8Array, tag: number, what: string): DerElement {
  const all = elements(bytes);
  if (all.length !== 1 || (all[0] as DerElement).tag !== tag) {
    throw new DerError(`${what} is not a single DER element of tag ${tag}`);
  }
  return all[0] as DerElement;
}

/** The element at `index` of a constructed value, which must have the given tag. */
export function child(parent: DerElement[], index: number, tag: number, what: string): DerElement {
  const element = parent[index];
  if (element === undefined || element.tag !== tag) {
    throw new DerError(`${what} is missing or not of DER tag ${tag}`);
  }
  return element;
}

/** The dotted form of an OBJECT IDENTIFIER's value. */
export function oid(value: Uint8Array): string {
  const arcs: bigint[] = [];
  let arc = 0n;
  for (const byte of value) {
    arc = arc * 128n + BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0n;
    }
  }
  if (arcs.length === 0) {
    throw new DerError("empty OBJECT IDENTIFIER");
  }
  const first = arcs[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join(".");
}

/** The value of a non-negative INTEGER, however long. */
export function unsignedInteger(value: Uint8Array, what: string): bigint {
  if (value.length === 0 || ((value[0] as number) & 0x80) !== 0) {
    throw new DerError(`${what} is not a non-negative INTEGER`);
  }
  let result = 0n;
  for (const byte of value) {
    result = result * 256n + BigInt(byte);
  }
  return result;
}

// The protocol's shared test vectors (docs/protocol.md section 15), as the Java and Python implementations use them.
import { readFileSync } from "node:fs";

export const vectors = JSON.parse(readFileSync(new URL(
  "../../crypto/src/test/resources/vectors/protocol-v1.json", import.meta.url), "utf8"));

export function bytes(text) {
  return new Uint8Array(Buffer.from(text, "hex"));
}

export function hexOf(value) {
  return Buffer.from(value).toString("hex");
}

// docs/protocol.md section 1: lp, u32, u64 and the sort order of names, byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lp, u32, u64, concat, sortedNames, compareNames, isStrictlySorted, hex, fromHex } from "../dist/index.js";

test("lp writes a 4-byte big-endian length, then the UTF-8 bytes", () => {
  assert.equal(hex(lp("")), "00000000");
  assert.equal(hex(lp("Ë")), "00000002c38b");
  assert.equal(hex(lp(Uint8Array.from([1, 2, 3]))), "00000003010203");
});

test("u32 and u64 are big-endian, and a value that does not fit is refused", () => {
  assert.equal(hex(u32(0x01020304)), "01020304");
  assert.equal(hex(u32(0xffffffff)), "ffffffff");
  assert.throws(() => u32(2 ** 32), /does not fit u32/);
  assert.throws(() => u32(-1), /does not fit u32/);
  assert.equal(hex(u64(1700000000000)), "0000018bcfe56800");
  assert.equal(hex(u64(-1)), "ffffffffffffffff");
  assert.equal(hex(u64(2n ** 63n - 1n)), "7fffffffffffffff");
  assert.throws(() => u64(2 ** 53), /not a safe integer/);
});

test("names sort by unsigned UTF-8 bytes, not by JavaScript's UTF-16 order", () => {
  // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80: UTF-16 (a surrogate, D83D) would put the emoji first.
  const halfwidth = "\uff61";
  const emoji = "\u{1f600}";
  assert.deepEqual(sortedNames([emoji, halfwidth, "b", "a"]), ["a", "b", halfwidth, emoji]);
  assert.ok(compareNames(halfwidth, emoji) < 0);
  assert.ok(isStrictlySorted(["a", "b", halfwidth, emoji]));
  assert.ok(!isStrictlySorted(["a", "a"]));
  assert.ok(compareNames("ab", "abc") < 0);
});

test("a list with a repeated name is refused", () => {
  assert.throws(() => sortedNames(["country", "age", "country"]), /'country' appears twice/);
});

test("hex round-trips, and a string that is not whole hex bytes is refused", () => {
  assert.equal(hex(fromHex("00ff10")), "00ff10");
  assert.equal(hex(concat(fromHex("01"), fromHex(""), fromHex("0203"))), "010203");
  assert.throws(() => fromHex("abc"), /not a hex string/);
  assert.throws(() => fromHex("zz"), /not a hex string/);
});

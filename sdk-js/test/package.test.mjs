// The package's public surface: what a consumer imports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

test("the package is ESM, for Node 20 and later, and names its entry points", async () => {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal(manifest.name, "@idstream/consumer");
  assert.equal(manifest.type, "module");
  assert.equal(manifest.engines.node, ">=20");
  assert.equal(manifest.exports["."].import, "./dist/index.js");
  await import("../dist/index.js");
});

test("the consumer package exports no issuer-side helpers: sealing and field encryption are the issuer's", async () => {
  const api = await import("../dist/index.js");
  for (const name of ["encryptField", "fieldKey", "hpkeSeal", "commitment"]) {
    assert.equal(name in api, false, `${name} is exported`);
  }
  assert.equal(typeof api.verifyDelivery, "function");
});

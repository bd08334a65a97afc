// `npm pack` makes a package that installs into a clean directory and works there: it loads a consumer's PEM keys as
// the Java CLI writes them, signs a request that Node's own crypto verifies, verifies and decrypts the protocol
// vectors' genuine delivery, and reads a signed webhook POST (which needs the Avro schemas the package ships).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { genuineDelivery, keys } from "./deliveries.mjs";
import { vectors, hexOf, bytes } from "./vectors.mjs";

const packageDir = new URL("..", import.meta.url).pathname;
const fixtureKeys = new URL("./fixtures/java-cli-keys/plain/exchange-a/", import.meta.url).pathname;

/** The delivery as JSON: bytes as hex, rebuilt by the program with the package's own fromHex. */
const hexed = (value) => JSON.stringify(value, (key, v) => (v instanceof Uint8Array ? { hex: hexOf(v) } : v));

const PROGRAM = `
import { readFileSync } from "node:fs";
import { createHmac, createPublicKey, verify } from "node:crypto";
import { loadIdentity, newAccessRequest, requestTbs, verifyDelivery, fromHex, x25519PrivateKey, WebhookReceiver }
  from "@idstream/consumer";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"), (key, v) =>
  v !== null && typeof v === "object" && typeof v.hex === "string" ? fromHex(v.hex) : v);
const identity = await loadIdentity(input.keysDir, "exchange-a");
const request = newAccessRequest(identity, { holderId: "alice", credentialType: "kyc", fields: ["country"],
  purpose: "onboarding" });
const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), identity.signingPublicKey]);
const signed = verify(null, requestTbs(request), createPublicKey({ key: spki, format: "der", type: "spki" }),
  request.signature);
const verdict = await verifyDelivery(input.delivery, input.issuerSigning, input.holderSigning,
  x25519PrivateKey(input.consumerEncryption));

const secret = "whsec_" + Buffer.alloc(32, 7).toString("base64");
const body = JSON.stringify({ version: "idstream/v1/webhook", id: "idstream.deliveries.exchange-a/0/3",
  topic: "idstream.deliveries.exchange-a", partition: 0, offset: 3, key: "alice", event: { ConsumerNotice: {
    kind: "PENDING", consumerId: "exchange-a", holderId: "alice", requestId: request.requestId, grantId: "",
    credentialId: "", reason: "waiting for the holder", at: 1, statement: null } } });
const id = "idstream%2Edeliveries%2Eexchange-a/0/3";
const timestamp = Math.floor(Date.now() / 1000);
const signature = createHmac("sha256", Buffer.alloc(32, 7)).update(id + "." + timestamp + "." + body).digest("base64");
const payload = new WebhookReceiver(secret).payload({ "webhook-id": id, "webhook-timestamp": String(timestamp),
  "webhook-signature": "v1," + signature }, body);

console.log(JSON.stringify({ consumerId: request.consumerId, signed, verdict: verdict.ok ? Object.keys(verdict.values)
  : verdict.check, webhook: payload.event.kind }));
`;

test("the packed package installs into a clean directory and signs, verifies and decrypts there", { timeout: 120_000 },
  async (t) => {
    const work = mkdtempSync(join(tmpdir(), "idstream-pack-"));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: packageDir, stdio: "pipe" });
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    assert.ok(tarball, "npm pack made no tarball");

    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    execFileSync("npm", ["install", join(work, tarball), "--prefer-offline", "--no-audit", "--no-fund",
      "--loglevel=error"], { cwd: app, stdio: "pipe" });

    const keysDir = join(work, "keys");
    mkdirSync(join(keysDir, "exchange-a"), { recursive: true, mode: 0o700 });
    chmodSync(keysDir, 0o700);
    for (const file of ["signing.pem", "encryption.pem"]) {
      copyFileSync(join(fixtureKeys, file), join(keysDir, "exchange-a", file));
      chmodSync(join(keysDir, "exchange-a", file), 0o600);
    }
    writeFileSync(join(app, "input.json"), hexed({ keysDir, delivery: genuineDelivery(),
      issuerSigning: keys.issuerSigning, holderSigning: keys.holderSigning,
      consumerEncryption: bytes(vectors.keys.consumerEncryptionPrivate) }));
    writeFileSync(join(app, "main.mjs"), PROGRAM);

    const output = JSON.parse(execFileSync("node", ["main.mjs", "input.json"], { cwd: app, encoding: "utf8" }));
    assert.deepEqual(output, { consumerId: "exchange-a", signed: true,
      verdict: vectors.delivery.disclosed.map((f) => f.name), webhook: "PENDING" });
  });

// docs/protocol.md section 8: the request ledger's state file, attacked from the positions it records and from the
// file system it lives in. Each test performs the attack it names.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, chmodSync, chownSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RequestLedger } from "../dist/index.js";

const REQUEST_ID = "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b";
const FORGED_ID = "0b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10";
const TOPIC = "idstream.deliveries.exchange-a";
const OTHER_USER = 65534;
let root;

before(() => {
  root = mkdtempSync(join(tmpdir(), "idstream-ledger-file-"));
});

/** A delivery to this consumer answering `requestId`, as it comes out of the trust checks. */
const delivery = (requestId) => ({ record: "CredentialDelivery", consumerId: "exchange-a", requestId });
const delivered = (requestId) => ({ kind: "delivered", requestId, values: {} });
const judge = (ledger, requestId, position) => ledger.judge(delivery(requestId), delivered(requestId), position);
const requestsFile = (stateDir) => join(stateDir, "exchange-a", "requests");

test("a position whose topic, partition or offset could add a line is refused, naming it, and never written",
  () => {
    const stateDir = join(root, "positions");
    const ledger = new RequestLedger("exchange-a", stateDir);
    ledger.expect(REQUEST_ID);
    const before = readFileSync(requestsFile(stateDir), "utf8");
    const forged = `${TOPIC}/0/1\nsent ${FORGED_ID}`;
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: forged, partition: 0, offset: "7" }),
      /a position's topic is a Kafka topic name, not 'idstream\.deliveries\.exchange-a\/0\/1\nsent /);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: "a".repeat(250), partition: 0, offset: "7" }),
      /a position's topic is a Kafka topic name/);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: -1, offset: "7" }),
      /a position's partition is an integer from 0 to 2\^31-1, not -1/);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 2 ** 31, offset: "7" }),
      /a position's partition is an integer from 0 to 2\^31-1, not 2147483648/);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: `7\nsent ${FORGED_ID}` }),
      /a position's offset is decimal digits, not '7\nsent /);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "-7" }),
      /a position's offset is decimal digits, not '-7'/);
    assert.equal(readFileSync(requestsFile(stateDir), "utf8"), before);
    const restarted = new RequestLedger("exchange-a", stateDir);
    assert.equal(judge(restarted, FORGED_ID, { topic: TOPIC, partition: 0, offset: "9" }).check, "UNSOLICITED");
    assert.equal(judge(restarted, REQUEST_ID, { topic: TOPIC, partition: 2 ** 31 - 1, offset: "7" }).kind,
      "delivered", "the genuine answer is still taken");
  });

test("a ledger directory or file another user owns is refused, as a planted file of requests", () => {
  const plantedDir = join(root, "planted-dir");
  mkdirSync(join(plantedDir, "exchange-a"), { recursive: true, mode: 0o700 });
  chownSync(join(plantedDir, "exchange-a"), OTHER_USER, OTHER_USER);
  assert.throws(() => new RequestLedger("exchange-a", plantedDir),
    /the ledger directory .*exchange-a is owned by user 65534, not by user \d+ who keeps it/);

  const plantedFile = join(root, "planted-file");
  mkdirSync(join(plantedFile, "exchange-a"), { recursive: true, mode: 0o700 });
  writeFileSync(requestsFile(plantedFile), `sent ${FORGED_ID}\n`, { mode: 0o600 });
  chownSync(requestsFile(plantedFile), OTHER_USER, OTHER_USER);
  assert.throws(() => new RequestLedger("exchange-a", plantedFile),
    /the ledger file .*requests is owned by user 65534, not by user \d+ who keeps it/);
});

test("the ledger directory is checked again before each use: one given to another user or opened up later is refused",
  () => {
    const stateDir = join(root, "later-dir");
    const ledger = new RequestLedger("exchange-a", stateDir);
    ledger.expect(REQUEST_ID);
    chmodSync(join(stateDir, "exchange-a"), 0o770);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "7" }),
      /the ledger directory .* is rwxrwx---: its group or others/);
    assert.throws(() => ledger.expect(FORGED_ID), /the ledger directory .* is rwxrwx---/);
    chmodSync(join(stateDir, "exchange-a"), 0o700);
    chownSync(join(stateDir, "exchange-a"), OTHER_USER, OTHER_USER);
    assert.throws(() => judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "7" }),
      /the ledger directory .* is owned by user 65534/);
  });

test("a ledger file replaced by another one, longer, is read from its start", () => {
  const stateDir = join(root, "replaced");
  const ledger = new RequestLedger("exchange-a", stateDir);
  ledger.expect(FORGED_ID, { holderId: "alice", credentialType: "kyc", credentialId: "", purpose: "a long purpose",
    fields: ["age_over_18", "country", "full_name"] });
  assert.equal(judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "6" }).check, "UNSOLICITED",
    "the file as it was read, before");
  rmSync(requestsFile(stateDir));
  writeFileSync(requestsFile(stateDir), `sent ${REQUEST_ID}\nsent ${FORGED_ID} alice kyc - ${"x".repeat(200)} country\n`,
    { mode: 0o600 });
  assert.equal(judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "7" }).kind, "delivered");
});

test("a ledger file truncated and written again is read from its start", () => {
  const stateDir = join(root, "truncated");
  const ledger = new RequestLedger("exchange-a", stateDir);
  ledger.expect(FORGED_ID, { holderId: "alice", credentialType: "kyc", credentialId: "", purpose: "a long purpose",
    fields: ["age_over_18", "country", "full_name"] });
  assert.equal(judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "6" }).check, "UNSOLICITED",
    "the file as it was read, before");
  writeFileSync(requestsFile(stateDir), `sent ${REQUEST_ID}\n`);
  assert.equal(judge(ledger, REQUEST_ID, { topic: TOPIC, partition: 0, offset: "7" }).kind, "delivered");
  assert.match(readFileSync(requestsFile(stateDir), "utf8"), new RegExp(`^sent ${REQUEST_ID}\nanswered ${REQUEST_ID} `));
});

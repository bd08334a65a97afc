// docs/protocol.md section 8, UNSOLICITED and REPEATED: the request ledger, in memory and in the state file it shares
// with Java's RequestLedger (the same line format, read again before each judgement), and that file's refusals.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, chmodSync, symlinkSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "node:crypto";
import { ConsumerTrust, RequestLedger, grantTbs, lp, concat, utf8 } from "../dist/index.js";
import { hpkeSeal } from "../dist/hpke.js";
import { vectors, bytes } from "./vectors.mjs";
import { genuineDelivery, keys } from "./deliveries.mjs";
import { holderEntry, issuerEntry, lookup } from "./directory.mjs";

const NOW = 1700000200000;
const REQUEST_ID = vectors.request.requestId;
const OTHER_REQUEST_ID = "0b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10";
const TOPIC = "idstream.deliveries.exchange-a";
const at = (offset) => ({ topic: TOPIC, partition: 0, offset: String(offset) });
const trust = new ConsumerTrust([keys.operatorSigning]);
/** The vectors' access request, as the consumer's client sent it. */
const request = () => ({ ...vectors.request, signature: new Uint8Array(64) });
let root;

before(() => {
  root = mkdtempSync(join(tmpdir(), "idstream-ledger-"));
});

const event = (change = () => {}) => {
  const d = genuineDelivery();
  change(d);
  return { record: "CredentialDelivery", ...d };
};

/** The event judged by the trust checks, then by the ledger, at `position`. */
async function judge(ledger, e, position) {
  const outcome = await trust.judge(e, lookup(issuerEntry(), holderEntry()), keys.consumerEncryption, NOW);
  return ledger.judge(e, outcome, position);
}

function assertRefused(outcome, check, pattern) {
  assert.equal(outcome.kind, "refused", `not refused: ${outcome.kind}`);
  assert.equal(outcome.check, check, outcome.reason);
  assert.match(outcome.reason, pattern);
}

test("a delivery answering no request this consumer sent is refused as UNSOLICITED", async () => {
  const ledger = new RequestLedger("exchange-a");
  assertRefused(await judge(ledger, event(), at(7)), "UNSOLICITED", /is not one this consumer sent/);
  ledger.sent(request());
  assert.equal((await judge(ledger, event(), at(7))).kind, "delivered");
});

test("a request is answered once: another record is REPEATED, the same record read again is the same answer",
  async () => {
    const ledger = new RequestLedger("exchange-a");
    ledger.sent(request());
    assert.equal((await judge(ledger, event(), at(7))).kind, "delivered");
    assert.equal((await judge(ledger, event(), at(7))).kind, "delivered", "read again at its position");
    assertRefused(await judge(ledger, event(), at(8)), "REPEATED",
      /already answered by the delivery at idstream\.deliveries\.exchange-a\/0\/7/);
    assertRefused(await judge(ledger, event()), "REPEATED", /already answered/);
  });

test("a forged delivery, refused, does not use up the genuine one's answer", async () => {
  const ledger = new RequestLedger("exchange-a");
  ledger.sent(request());
  const forged = await judge(ledger, event((d) => { d.issuerSignature[0] ^= 1; }), at(6));
  assertRefused(forged, "ISSUER_SIGNATURE", /does not verify/);
  assert.equal((await judge(ledger, event(), at(7))).kind, "delivered");
});

test("a genuine delivery relabeled as the answer to another open request is refused unless it answers what was asked",
  async () => {
    const ledger = new RequestLedger("exchange-a");
    const asked = { holderId: "alice", credentialType: "kyc", credentialId: "", purpose: "onboarding",
      fields: ["age_over_18", "country"] };
    const cases = [
      [{ ...asked, holderId: "bob" }, /it is from holder 'alice', the request was sent to 'bob'/],
      [{ ...asked, purpose: "marketing" }, /purpose 'onboarding', the request's is 'marketing'/],
      [{ ...asked, credentialType: "passport" }, /type 'kyc', the request asked for 'passport'/],
      [{ ...asked, credentialType: "", credentialId: "7f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b" },
        /carries credential '6f1c2a4e-.*', the request asked for '7f1c2a4e-/],
      [{ ...asked, fields: ["age_over_18"] }, /discloses fields \[country\] the request did not ask for/],
    ];
    for (const [terms, pattern] of cases) {
      const requestId = crypto.randomUUID();
      ledger.expect(requestId, terms);
      assertRefused(await judge(ledger, event((d) => { d.requestId = requestId; }), at(9)), "UNSOLICITED", pattern);
    }
    const answered = crypto.randomUUID();
    ledger.expect(answered, { ...asked, credentialType: "", credentialId: vectors.credential.credentialId,
      fields: ["age_over_18", "country", "full_name"] });
    assert.equal((await judge(ledger, event((d) => { d.requestId = answered; }), at(9))).kind, "delivered",
      "a request of one credential, asking for more fields than were granted");
  });

test("a request known by its id alone takes an answer from any holder, but only to this consumer", async () => {
  const ledger = new RequestLedger("exchange-b");
  ledger.expect(REQUEST_ID);
  assertRefused(await judge(ledger, event(), at(7)), "UNSOLICITED",
    /addressed to 'exchange-a', not to this consumer 'exchange-b'/);
  const mine = new RequestLedger("exchange-a");
  mine.expect(REQUEST_ID);
  assert.equal((await judge(mine, event(), at(7))).kind, "delivered");
});

test("a holder's notice about a request counts only for a request sent to that holder", () => {
  const ledger = new RequestLedger("exchange-a");
  const notice = (kind, requestId, holderId = "alice") => ({ kind: "notice", requestId, notice: kind, holderId,
    grantId: "", credentialId: "", reason: "" });
  const noticeEvent = { record: "ConsumerNotice" };
  assertRefused(ledger.judge(noticeEvent, notice("DENIED", REQUEST_ID)), "UNSOLICITED", /not one this consumer sent/);
  ledger.sent(request());
  assert.equal(ledger.judge(noticeEvent, notice("DENIED", REQUEST_ID)).kind, "notice");
  assertRefused(ledger.judge(noticeEvent, notice("REVOKED", REQUEST_ID, "bob")), "NOTICE_STATEMENT",
    /is from holder 'bob', the request was sent to 'alice'/);
  assert.equal(ledger.judge(noticeEvent, notice("PENDING", OTHER_REQUEST_ID)).kind, "notice", "the processors' word");
  assert.equal(ledger.judge(noticeEvent, notice("REVOKED", "")).kind, "notice", "about a grant");
});

test("a request id that is not a UUID is refused, so that none can add a line of its own", () => {
  const ledger = new RequestLedger("exchange-a", join(root, "ids"));
  assert.throws(() => ledger.expect(`${REQUEST_ID}\nsent ${OTHER_REQUEST_ID}`), /a request id is a UUID/);
  assert.throws(() => ledger.expect("request-1"), /a request id is a UUID/);
  assert.throws(() => ledger.sent({ ...request(), requestId: `${REQUEST_ID} alice` }), /a request id is a UUID/);
  assert.equal(readFileSync(join(root, "ids", "exchange-a", "requests"), "utf8"), "");
});

// What Java's RequestLedger wrote for these requests (sent with RequestLedger.sent and answered), byte for byte.
const JAVA_LINES = [
  "sent 11111111-2222-4333-8444-555555555555 alice kyc - on+boarding%2F%C3%A4%C3%9F%2B*%7E.-_ age_over_18,country",
  "sent 22222222-2222-4333-8444-555555555555 alice - 6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b kyc%3A+level+2 full_name",
  "sent 33333333-2222-4333-8444-555555555555",
  "answered 22222222-2222-4333-8444-555555555555 idstream.deliveries.exchange-a/0/7",
];

test("the state file: lines written as Java's RequestLedger writes them, and read as it reads them", async () => {
  const stateDir = join(root, "java-format");
  const ledger = new RequestLedger("exchange-a", stateDir);
  assert.equal(statSync(join(stateDir, "exchange-a")).mode & 0o777, 0o700);
  assert.equal(statSync(join(stateDir, "exchange-a", "requests")).mode & 0o777, 0o600);
  ledger.expect("11111111-2222-4333-8444-555555555555", { holderId: "alice", credentialType: "kyc", credentialId: "",
    purpose: "on boarding/äß+*~.-_", fields: ["country", "age_over_18"] });
  ledger.expect("22222222-2222-4333-8444-555555555555", { holderId: "alice", credentialType: "",
    credentialId: "6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b", purpose: "kyc: level 2", fields: ["full_name"] });
  ledger.expect("33333333-2222-4333-8444-555555555555");
  const relabeled = (id) => event((d) => { d.requestId = id; });
  assert.equal((await judge(ledger, relabeled("33333333-2222-4333-8444-555555555555"), at(5))).kind, "delivered");
  const file = readFileSync(join(stateDir, "exchange-a", "requests"), "utf8");
  assert.equal(file, `${JAVA_LINES.slice(0, 3).join("\n")}\nanswered 33333333-2222-4333-8444-555555555555 ${TOPIC}/0/5\n`);
});

test("the state file Java wrote is read: its requests, decoded, and its answers with their positions", async () => {
  const stateDir = join(root, "from-java");
  mkdirSync(join(stateDir, "exchange-a"), { recursive: true, mode: 0o700 });
  writeFileSync(join(stateDir, "exchange-a", "requests"), `${[...JAVA_LINES,
    `sent ${REQUEST_ID} alice kyc - onboarding age_over_18,country`,
    `answered ${REQUEST_ID} ${TOPIC}/0/7`].join("\n")}\n`, { mode: 0o600 });
  const ledger = new RequestLedger("exchange-a", stateDir);
  assertRefused(await judge(ledger, event((d) => { d.requestId = "11111111-2222-4333-8444-555555555555"; }), at(3)),
    "UNSOLICITED", /purpose 'onboarding', the request's is 'on boarding\/äß\+\*~\.-_'/);
  assertRefused(await judge(ledger, event((d) => { d.requestId = "22222222-2222-4333-8444-555555555555"; }), at(3)),
    "UNSOLICITED", /the request's is 'kyc: level 2'/);
  assert.equal((await judge(ledger, event(), at(7))).kind, "delivered", "Java's answer, read again at its position");
  assertRefused(await judge(ledger, event(), at(8)), "REPEATED", /by the delivery at idstream\.deliveries\.exchange-a\/0\/7/);
});

test("the state file is read again before each judgement: a second process sees the first one's requests", async () => {
  const stateDir = join(root, "shared");
  const sender = new RequestLedger("exchange-a", stateDir);
  const reader = new RequestLedger("exchange-a", stateDir);
  sender.sent(request());
  assert.equal((await judge(reader, event(), at(7))).kind, "delivered");
  assertRefused(await judge(sender, event(), at(8)), "REPEATED", /by the delivery at .*\/0\/7/);
  const restarted = new RequestLedger("exchange-a", stateDir);
  assertRefused(await judge(restarted, event(), at(8)), "REPEATED", /already answered/);
});

test("a state directory or file that is a symbolic link, or that its group or others may read, is refused", () => {
  const linked = join(root, "linked");
  mkdirSync(join(root, "elsewhere"), { mode: 0o700 });
  mkdirSync(linked, { mode: 0o700 });
  symlinkSync(join(root, "elsewhere"), join(linked, "exchange-a"));
  assert.throws(() => new RequestLedger("exchange-a", linked), /the ledger directory .* is a symbolic link/);

  const linkedFile = join(root, "linked-file");
  mkdirSync(join(linkedFile, "exchange-a"), { recursive: true, mode: 0o700 });
  writeFileSync(join(root, "planted"), `sent ${REQUEST_ID}\n`, { mode: 0o600 });
  symlinkSync(join(root, "planted"), join(linkedFile, "exchange-a", "requests"));
  assert.throws(() => new RequestLedger("exchange-a", linkedFile), /the ledger file .* is a symbolic link/);

  const open = join(root, "open");
  new RequestLedger("exchange-a", open);
  chmodSync(join(open, "exchange-a"), 0o750);
  assert.throws(() => new RequestLedger("exchange-a", open), /the ledger directory .* is rwxr-x---: its group or others/);
  chmodSync(join(open, "exchange-a"), 0o700);
  chmodSync(join(open, "exchange-a", "requests"), 0o640);
  assert.throws(() => new RequestLedger("exchange-a", open), /the ledger file .* is rw-r-----: its group or others/);
});

test("a state file made group-writable after it was opened is refused at the next judgement", async () => {
  const stateDir = join(root, "later");
  const ledger = new RequestLedger("exchange-a", stateDir);
  ledger.sent(request());
  chmodSync(join(stateDir, "exchange-a", "requests"), 0o620);
  await assert.rejects(judge(ledger, event(), at(7)), /the ledger file .* is rw--w----/);
});

test("a delivery the holder granted to another consumer is refused, even sealed to this consumer's key", async () => {
  const forOther = genuineDelivery();
  forOther.consumerId = "exchange-b";
  const g = forOther.grant;
  const sealed = await hpkeSeal(bytes(vectors.keys.consumerEncryptionPublic), utf8("idstream/v1/grant-keys"),
    concat(lp(g.grantId), lp(forOther.credentialId), lp("exchange-b")), bytes(vectors.grant.keyPackage));
  g.keysEnc = sealed.enc;
  g.keysCiphertext = sealed.ct;
  g.holderSignature = sign(null, grantTbs({ ...g, holderId: "alice", consumerId: "exchange-b",
    credentialId: forOther.credentialId }), keys.holderPrivate);
  const ledger = new RequestLedger("exchange-a");
  ledger.sent(request());
  assertRefused(await judge(ledger, { record: "CredentialDelivery", ...forOther }, at(7)), "UNSOLICITED",
    /addressed to 'exchange-b', not to this consumer 'exchange-a'/);
  assert.equal((await judge(ledger, event(), at(8))).kind, "delivered", "the genuine answer is still taken");
});

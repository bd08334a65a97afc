// docs/protocol.md section 2: a consumer's keys read from the PKCS#8 PEM files the Java CLI and OpenSSL write, plain
// and passphrase-encrypted, and every key file refused that another user could have read, planted or replaced.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, copyFileSync, chmodSync, symlinkSync, writeFileSync, readFileSync, chownSync,
  rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIdentity, hex } from "../dist/index.js";

const fixtures = new URL("./fixtures/java-cli-keys/", import.meta.url).pathname;
const resources = new URL("../../crypto/src/test/resources/", import.meta.url).pathname;
const PASSPHRASE = "correct horse";
const WRONG_PASSPHRASE = "wrong horse";
let root;
const refusals = [];

before(() => {
  root = mkdtempSync(join(tmpdir(), "idstream-keys-"));
  chmodSync(root, 0o700);
});

/** A keys dir holding `exchange-a` with the given PEM texts, each file mode 600, as the CLI leaves them. */
function keysDir(name, signingPem, encryptionPem) {
  const dir = join(root, name);
  mkdirSync(join(dir, "exchange-a"), { recursive: true, mode: 0o700 });
  for (const [file, pem] of [["signing.pem", signingPem], ["encryption.pem", encryptionPem]]) {
    writeFileSync(join(dir, "exchange-a", file), pem, { mode: 0o600 });
    chmodSync(join(dir, "exchange-a", file), 0o600);
  }
  return dir;
}

const fixture = (kind, file) => readFileSync(join(fixtures, kind, "exchange-a", file), "utf8");
const expectedPublic = (kind, file) => fixture(kind, file).trim();

async function refused(promise, pattern) {
  const error = await promise.then(() => assert.fail("the keys were loaded"), (e) => e);
  assert.match(error.message, pattern);
  refusals.push(error.message);
}

test("the plain keys the Java CLI writes load, as the public keys OpenSSL reads from them", async () => {
  const dir = keysDir("java-plain", fixture("plain", "signing.pem"), fixture("plain", "encryption.pem"));
  const identity = await loadIdentity(dir, "exchange-a");
  assert.equal(identity.id, "exchange-a");
  assert.equal(hex(identity.signingPublicKey), expectedPublic("plain", "signing.pub.hex"));
  assert.equal(hex(identity.encryptionPublicKey), expectedPublic("plain", "encryption.pub.hex"));
  assert.equal(identity.signingKey.asymmetricKeyType, "ed25519");
  assert.equal(identity.encryptionKey.asymmetricKeyType, "x25519");
});

test("the encrypted keys the Java CLI writes (PBES2, 600,000 iterations, AES-256-CBC) load with the passphrase",
  async () => {
    const dir = keysDir("java-encrypted", fixture("encrypted", "signing.pem"), fixture("encrypted", "encryption.pem"));
    let asked = 0;
    const identity = await loadIdentity(dir, "exchange-a", { passphrase: async () => { asked++; return PASSPHRASE; } });
    assert.equal(asked, 1, "the passphrase is asked once for both keys");
    assert.equal(hex(identity.signingPublicKey), expectedPublic("encrypted", "signing.pub.hex"));
    assert.equal(hex(identity.encryptionPublicKey), expectedPublic("encrypted", "encryption.pub.hex"));

    await refused(loadIdentity(dir, "exchange-a", { passphrase: () => WRONG_PASSPHRASE }),
      /^wrong passphrase for signing key .*signing\.pem/);
    await refused(loadIdentity(dir, "exchange-a"), /are encrypted: load them with their passphrase/);
  });

test("keys OpenSSL writes load: genpkey's plain PEMs, and keys encrypted with AES-128 and AES-256", async () => {
  const ed = readFileSync(join(resources, "openssl-ed25519.pem"), "utf8");
  const x = readFileSync(join(resources, "openssl-x25519.pem"), "utf8");
  const plain = await loadIdentity(keysDir("openssl-plain", ed, x), "exchange-a");
  assert.equal(hex(plain.signingPublicKey), readFileSync(join(resources, "openssl-ed25519.pub.hex"), "utf8").trim());
  assert.equal(hex(plain.encryptionPublicKey), readFileSync(join(resources, "openssl-x25519.pub.hex"), "utf8").trim());

  for (const cipher of ["aes-128-cbc", "aes-256-cbc"]) {
    // Node's export is OpenSSL's PKCS#8 writer: PBES2, PBKDF2 with HMAC-SHA256.
    const encrypt = (pem) => createPrivateKey(pem).export({ type: "pkcs8", format: "pem", cipher,
      passphrase: PASSPHRASE });
    const identity = await loadIdentity(keysDir(`node-${cipher}`, encrypt(ed), encrypt(x)), "exchange-a",
      { passphrase: () => PASSPHRASE });
    assert.equal(hex(identity.signingPublicKey), hex(plain.signingPublicKey), cipher);
    assert.equal(hex(identity.encryptionPublicKey), hex(plain.encryptionPublicKey), cipher);
  }
});

test("a key encrypted by `openssl pkey -aes256` loads", async (t) => {
  let encrypted;
  try {
    encrypted = (file) => execFileSync("openssl", ["pkey", "-in", join(resources, file), "-aes256", "-passout",
      "env:IDSTREAM_TEST_PASSPHRASE"], { env: { ...process.env, IDSTREAM_TEST_PASSPHRASE: PASSPHRASE } }).toString();
    encrypted("openssl-ed25519.pem");
  } catch {
    t.skip("openssl is not installed");
    return;
  }
  const identity = await loadIdentity(keysDir("openssl-aes256", encrypted("openssl-ed25519.pem"),
    encrypted("openssl-x25519.pem")), "exchange-a", { passphrase: () => PASSPHRASE });
  assert.equal(hex(identity.signingPublicKey), readFileSync(join(resources, "openssl-ed25519.pub.hex"), "utf8").trim());
});

test("a key file that is a symbolic link is refused", async () => {
  const dir = keysDir("symlink", fixture("plain", "signing.pem"), fixture("plain", "encryption.pem"));
  const planted = join(root, "planted-signing.pem");
  writeFileSync(planted, fixture("plain", "signing.pem"), { mode: 0o600 });
  rmSync(join(dir, "exchange-a", "signing.pem"));
  symlinkSync(planted, join(dir, "exchange-a", "signing.pem"));
  await refused(loadIdentity(dir, "exchange-a"), /signing\.pem is a symbolic link/);
});

test("a key file its group or others may read is refused, naming its mode and the fix", async () => {
  const dir = keysDir("group-readable", fixture("plain", "signing.pem"), fixture("plain", "encryption.pem"));
  chmodSync(join(dir, "exchange-a", "encryption.pem"), 0o640);
  await refused(loadIdentity(dir, "exchange-a"), /encryption\.pem has mode 640: .*run chmod 600/);
  chmodSync(join(dir, "exchange-a", "encryption.pem"), 0o602);
  await refused(loadIdentity(dir, "exchange-a"), /encryption\.pem has mode 602/);
});

test("a key file that is not a regular file (a directory, a pipe) is refused without reading it", async (t) => {
  const dir = keysDir("not-regular", fixture("plain", "signing.pem"), fixture("plain", "encryption.pem"));
  rmSync(join(dir, "exchange-a", "encryption.pem"));
  mkdirSync(join(dir, "exchange-a", "encryption.pem"), { mode: 0o700 });
  await refused(loadIdentity(dir, "exchange-a"), /encryption\.pem is not a regular file/);
  rmSync(join(dir, "exchange-a", "encryption.pem"), { recursive: true });
  try {
    execFileSync("mkfifo", ["-m", "600", join(dir, "exchange-a", "encryption.pem")]);
  } catch {
    t.diagnostic("mkfifo is not installed: the pipe is not tried");
    return;
  }
  await refused(loadIdentity(dir, "exchange-a"), /encryption\.pem is not a regular file/);
});

test("a key file another user owns is refused", async (t) => {
  if (process.getuid() !== 0) {
    t.skip("only root can give a file to another user");
    return;
  }
  const dir = keysDir("other-owner", fixture("plain", "signing.pem"), fixture("plain", "encryption.pem"));
  chownSync(join(dir, "exchange-a", "signing.pem"), 65534, 65534);
  await refused(loadIdentity(dir, "exchange-a"), /signing\.pem is owned by user 65534, not by user 0/);
});

test("a key of the other algorithm, or a PEM that is not PKCS#8, is refused saying so", async () => {
  const swapped = keysDir("swapped", fixture("plain", "encryption.pem"), fixture("plain", "signing.pem"));
  await refused(loadIdentity(swapped, "exchange-a"),
    /signing\.pem is a key of algorithm 1\.3\.101\.110, expected 1\.3\.101\.112 \(Ed25519\)/);
  const garbled = keysDir("garbled", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    fixture("plain", "encryption.pem"));
  await refused(loadIdentity(garbled, "exchange-a"), /signing\.pem is not a PKCS#8 PrivateKeyInfo/);
  const rsa = keysDir("not-pem", "ssh-ed25519 AAAA", fixture("plain", "encryption.pem"));
  await refused(loadIdentity(rsa, "exchange-a"), /signing\.pem is not a PKCS#8 PEM/);
});

/** DER of one element: tag, definite length, value. */
function tlv(tag, ...parts) {
  const value = Buffer.concat(parts.map((p) => Buffer.from(p)));
  const length = value.length < 0x80 ? Buffer.from([value.length])
    : value.length < 0x100 ? Buffer.from([0x81, value.length]) : Buffer.from([0x82, value.length >> 8, value.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
const OID = (hexText) => tlv(0x06, Buffer.from(hexText, "hex"));

/** An EncryptedPrivateKeyInfo of PBES2, PBKDF2-HMAC-SHA256 with `iterations`, AES-256-CBC, over `data`. */
function encryptedPem(iterations, data) {
  const count = Buffer.from(iterations.toString(16).padStart(8, "0"), "hex");
  const pbkdf2 = tlv(0x30, OID("2a864886f70d01050c"), tlv(0x30, tlv(0x04, Buffer.alloc(16, 7)), tlv(0x02, count),
    tlv(0x30, OID("2a864886f70d0209"), Buffer.from([0x05, 0x00]))));
  const aes = tlv(0x30, OID("60864801650304012a"), tlv(0x04, Buffer.alloc(16, 9)));
  const der = tlv(0x30, tlv(0x30, OID("2a864886f70d01050d"), tlv(0x30, pbkdf2, aes)), tlv(0x04, data));
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${der.toString("base64")}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
}

test("a key asking for more than 10,000,000 PBKDF2 iterations is refused before any is run", async () => {
  const dir = keysDir("iterations", encryptedPem(20_000_000, Buffer.alloc(48, 1)), fixture("plain", "encryption.pem"));
  const started = performance.now();
  await refused(loadIdentity(dir, "exchange-a", { passphrase: () => PASSPHRASE }),
    /asks for 20000000 PBKDF2 iterations, more than the 10000000 allowed/);
  // 20 million rounds of HMAC-SHA256 take seconds: a refusal this fast ran none.
  assert.ok(performance.now() - started < 1000, `refused after ${performance.now() - started} ms`);
});

test("no refusal carries a byte of a private key or the passphrase", () => {
  assert.ok(refusals.length >= 9, `${refusals.length} refusals were collected`);
  const secrets = [PASSPHRASE, WRONG_PASSPHRASE];
  for (const kind of ["plain", "encrypted"]) {
    for (const file of ["signing.pem", "encryption.pem"]) {
      const pem = fixture(kind, file);
      secrets.push(pem.split("\n").slice(1, -2).join(""));
      if (kind === "plain") {
        const raw = createPrivateKey(pem).export({ format: "jwk" }).d;
        secrets.push(raw, Buffer.from(raw, "base64url").toString("hex"));
      }
    }
  }
  for (const message of refusals) {
    for (const secret of secrets) {
      assert.ok(!message.includes(secret), `a refusal carries key material: ${message.length} characters`);
    }
  }
});

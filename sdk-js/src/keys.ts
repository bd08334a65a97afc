/**
 * A consumer's identity, read from the PKCS#8 PEM files the idstream CLI writes (docs/protocol.md section 2):
 * `<keysDir>/<id>/signing.pem` (Ed25519) and `<keysDir>/<id>/encryption.pem` (X25519), plain or passphrase-encrypted.
 * A key file is read only when it is a regular file, not a symbolic link, owned by the user who runs this process,
 * that neither its group nor others may read, write or run, and only if it was not replaced while it was read; a
 * refusal names the file, what is wrong and the fix, and never a byte of the key or the passphrase.
 */
import { constants, promises as fs, type Stats } from "node:fs";
import { join } from "node:path";
import type { KeyObject } from "node:crypto";
import { requirePrincipalId } from "./identifiers.js";
import { isEncryptedPem, KeyError, readPrivateKey } from "./pem.js";
import { rawPublicKey } from "./primitives.js";
import { notOwnerOnly } from "./private-file.js";

export { KeyError } from "./pem.js";

/** A consumer's id and its two key pairs; the public keys as the 32 raw bytes the directory carries. */
export interface ConsumerIdentity {
  id: string;
  signingKey: KeyObject;
  signingPublicKey: Uint8Array;
  encryptionKey: KeyObject;
  encryptionPublicKey: Uint8Array;
}

export interface LoadIdentityOptions {
  /** Asked once, and only when a key is encrypted. */
  passphrase?: () => string | Promise<string>;
}

const SIGNING_FILE = "signing.pem";
const ENCRYPTION_FILE = "encryption.pem";
const MAX_BYTES = 64 * 1024;

/**
 * The identity `id` from `<keysDir>/<id>`. An encrypted key needs `options.passphrase`; without it the keys are
 * refused, saying they are encrypted.
 */
export async function loadIdentity(keysDir: string, id: string,
                                   options: LoadIdentityOptions = {}): Promise<ConsumerIdentity> {
  requirePrincipalId("principal id", id);
  const dir = join(keysDir, id);
  const signingFile = join(dir, SIGNING_FILE);
  try {
    await fs.lstat(signingFile);
  } catch {
    throw new KeyError(`no keys for '${id}' in ${keysDir} (create them with 'idstream identity create')`);
  }
  const signingPem = await readKeyFile(signingFile);
  const encryptionPem = await readKeyFile(join(dir, ENCRYPTION_FILE));
  let passphrase: string | undefined;
  if (isEncryptedPem(signingPem) || isEncryptedPem(encryptionPem)) {
    if (options.passphrase === undefined) {
      throw new KeyError(`the keys of '${id}' in ${dir} are encrypted: load them with their passphrase`);
    }
    passphrase = await options.passphrase();
  }
  const signingKey = await readPrivateKey(signingPem, "Ed25519", `signing key ${signingFile}`, passphrase);
  const encryptionKey = await readPrivateKey(encryptionPem, "X25519", `encryption key ${join(dir, ENCRYPTION_FILE)}`,
    passphrase);
  return {
    id,
    signingKey,
    signingPublicKey: rawPublicKey(signingKey),
    encryptionKey,
    encryptionPublicKey: rawPublicKey(encryptionKey),
  };
}

/** The text of a private key file, once it passed the checks of section 2. */
export async function readKeyFile(file: string): Promise<string> {
  let checked: Stats;
  try {
    checked = await fs.lstat(file);
  } catch (e) {
    throw new KeyError(`cannot read private key ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
  checkPrivate(file, checked);
  // O_NOFOLLOW: a link swapped in after the check is not followed; the file opened must be the one checked.
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    .catch((e: NodeJS.ErrnoException) => {
      throw new KeyError(`cannot open private key ${file}: ${e.code ?? "error"}`);
    });
  try {
    const opened = await handle.stat();
    if (opened.ino !== checked.ino || opened.dev !== checked.dev) {
      throw new KeyError(`${file} was replaced by another file while it was read: refused`);
    }
    const buffer = new Uint8Array(MAX_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) {
        break;
      }
      length += bytesRead;
    }
    const after = await fs.lstat(file);
    if (after.ino !== checked.ino || after.dev !== checked.dev) {
      buffer.fill(0);
      throw new KeyError(`${file} was replaced by another file while it was read: refused`);
    }
    if (length > MAX_BYTES) {
      buffer.fill(0);
      throw new KeyError(`${file} is larger than ${MAX_BYTES} bytes: not a private key`);
    }
    const text = new TextDecoder().decode(buffer.subarray(0, length));
    buffer.fill(0);
    return text;
  } finally {
    await handle.close();
  }
}

function checkPrivate(file: string, stats: Stats): void {
  const problem = notOwnerOnly(stats);
  if (problem?.kind === "link") {
    throw new KeyError(`${file} is a symbolic link: a private key is read only from a regular file of its own `
      + "(copy it there, then chmod 600 it)");
  }
  if (!stats.isFile()) {
    throw new KeyError(`${file} is not a regular file`);
  }
  if (problem?.kind === "owner") {
    throw new KeyError(`${file} is owned by user ${problem.owner}, not by user ${problem.reader} who reads it: another `
      + `user could have planted or may replace this private key; run chown ${problem.reader} ${file}`);
  }
  if (problem?.kind === "mode") {
    throw new KeyError(`${file} has mode ${problem.mode.toString(8).padStart(3, "0")}: its group or others may read `
      + `or replace this private key; run chmod 600 ${file}`);
  }
}

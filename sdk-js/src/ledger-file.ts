/**
 * The request ledger's file (docs/protocol.md section 8): `<stateDir>/<consumerId>/requests`, the directory made 700
 * and the file 600, either refused when it is a symbolic link, another user owns it, or its group or others may read
 * or write it, since whoever can write it can add a request; the directory is checked again before each use. Lines
 * are appended in one write each, so that lines of two processes of the same consumer (a Java CLI and a Node
 * process) do not interleave, and read from where the last read ended, up to the last whole line; a file replaced
 * (another inode) or truncated since (deleted and made again, say) is read again from its start.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import type { Stats } from "node:fs";
import { dirname, join } from "node:path";
import { notOwnerOnly } from "./private-file.js";

/** A ledger that cannot be kept; the message names the path and what is wrong. */
export class LedgerError extends Error {}

export class LedgerFile {
  /** How many bytes of the file were read: up to the end of its last whole line. */
  private readUpTo = 0;
  /** The device, inode and birth time of the file read, so that a file put in its place is read from its start. */
  private readFrom = "";

  private constructor(readonly path: string, private readonly dir: string) {}

  /** The ledger file of `consumerId` under `stateDir`, made if missing, once its directory and it pass the checks. */
  static open(stateDir: string, consumerId: string): LedgerFile {
    const dir = join(stateDir, consumerId);
    const path = join(dir, "requests");
    try {
      mkdirSync(dirname(dir), { recursive: true });
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (e) {
        // Kept from an earlier run, or made by another process of this consumer at the same time: checked below.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
          throw e;
        }
      }
      checkDirectory(dir);
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
          throw e;
        }
      }
      checkPrivate(path, "file", lstatSync(path));
    } catch (e) {
      if (e instanceof LedgerError) {
        throw new LedgerError(`cannot keep the request ids of '${consumerId}' in ${path}: ${e.message}`);
      }
      throw new LedgerError(`cannot keep the request ids of '${consumerId}' in ${path}: `
        + `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return new LedgerFile(path, dir);
  }

  /** Appends one line (without its newline) in a single write. */
  append(line: string): void {
    let fd: number | undefined;
    try {
      checkDirectory(this.dir);
      fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
      checkPrivate(this.path, "file", fstatSync(fd));
      const bytes = new TextEncoder().encode(`${line}\n`);
      if (writeSync(fd, bytes) !== bytes.length) {
        throw new LedgerError("the line was written in part");
      }
    } catch (e) {
      throw new LedgerError(`cannot record '${line}' in ${this.path}: ${message(e)}`);
    } finally {
      if (fd !== undefined) {
        closeSync(fd);
      }
    }
  }

  /** The whole lines appended since the last read; a line still being written is read next time. */
  readNewLines(): string[] {
    let fd: number | undefined;
    let added: Uint8Array;
    try {
      checkDirectory(this.dir);
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW);
      const stats = fstatSync(fd);
      checkPrivate(this.path, "file", stats);
      // The birth time too: a file deleted and made again often gets the inode number the old one freed.
      const file = `${stats.dev}:${stats.ino}:${stats.birthtimeMs}`;
      if (file !== this.readFrom || stats.size < this.readUpTo) {
        this.readFrom = file;
        this.readUpTo = 0;
      }
      if (stats.size <= this.readUpTo) {
        return [];
      }
      added = new Uint8Array(stats.size - this.readUpTo);
      let read = 0;
      while (read < added.length) {
        const n = readSync(fd, added, read, added.length - read, this.readUpTo + read);
        if (n === 0) {
          break;
        }
        read += n;
      }
      added = added.subarray(0, read);
    } catch (e) {
      throw new LedgerError(`cannot read the request ids in ${this.path}: ${message(e)}`);
    } finally {
      if (fd !== undefined) {
        closeSync(fd);
      }
    }
    const lastNewline = added.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      return [];
    }
    this.readUpTo += lastNewline + 1;
    return new TextDecoder().decode(added.subarray(0, lastNewline)).split("\n");
  }
}

function message(e: unknown): string {
  return e instanceof LedgerError ? e.message : (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function checkDirectory(dir: string): void {
  checkPrivate(dir, "directory", lstatSync(dir));
}

/**
 * Refuses a ledger file or directory that is a link, that another user owns, or that the group or others may read or
 * write: whoever may write it (or replace the file in the directory) could add a request, so that a forged answer to
 * it is taken.
 */
function checkPrivate(path: string, what: string, stats: Stats): void {
  const problem = notOwnerOnly(stats);
  if (problem?.kind === "link") {
    throw new LedgerError(`the ledger ${what} ${path} is a symbolic link`);
  }
  if (problem?.kind === "owner") {
    throw new LedgerError(`the ledger ${what} ${path} is owned by user ${problem.owner}, not by user `
      + `${problem.reader} who keeps it: that user could add a request`);
  }
  if (problem?.kind === "mode") {
    throw new LedgerError(`the ledger ${what} ${path} is ${permissions(problem.mode)}: its group or others may read `
      + "or change it");
  }
}

/** The permissions as `ls` writes them: rwxr-x---. */
function permissions(mode: number): string {
  let text = "";
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7;
    text += `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${bits & 1 ? "x" : "-"}`;
  }
  return text;
}

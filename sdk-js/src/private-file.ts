import type { Stats } from "node:fs";

/**
 * Why a file or directory is not its reader's alone, which both a private key and the request ledger must be: a
 * symbolic link (it could point anywhere), another user's (that user could have planted it or may replace it), or a
 * mode that lets its group or others in. Each caller words the refusal for what the file holds.
 */
export type NotOwnerOnly =
  | { kind: "link" }
  | { kind: "owner"; owner: number; reader: number }
  | { kind: "mode"; mode: number };

/** The first way `stats` is not the reader's alone, in the order above; undefined when it is. */
export function notOwnerOnly(stats: Stats): NotOwnerOnly | undefined {
  if (stats.isSymbolicLink()) {
    return { kind: "link" };
  }
  const reader = process.getuid?.();
  if (reader !== undefined && stats.uid !== reader) {
    return { kind: "owner", owner: stats.uid, reader };
  }
  const mode = stats.mode & 0o777;
  return (mode & 0o077) !== 0 ? { kind: "mode", mode } : undefined;
}

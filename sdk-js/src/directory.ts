import type { RecordCodec } from "./codec.js";
import { IdstreamError } from "./errors.js";
import type { VerifiedPrincipal } from "./records.js";
import type { DirectoryTable } from "./tail.js";

/** How long an entry found is used before it is read again: keys change rarely, and a lookup reads the topic. */
export const DIRECTORY_CACHE_MS = 30_000;

/** Reports a record read past because it does not decode: by topic, partition, offset and reason, never its bytes. */
export type SkipReport = (position: string, reason: string) => void;

/**
 * Looks principals up in the verified directory, `<prefix>.directory.verified` (docs/protocol.md section 10), which
 * only the processors write, keyed by principal id; as the Java `DirectoryClient` does, a lookup reads the topic to
 * its end and takes the id's latest entry (a tombstone: none), and an entry found is remembered for 30 s.
 */
export class DirectoryClient {
  private readonly cache = new Map<string, { entry: VerifiedPrincipal; readAt: number }>();

  constructor(
    private readonly table: Pick<DirectoryTable, "topic" | "upToDate" | "get">,
    private readonly codec: RecordCodec,
    private readonly timeoutMs: number,
    private readonly skip: SkipReport,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal's entry, from the cache when read within the last 30 s. */
  async find(id: string): Promise<VerifiedPrincipal | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined && this.now() - cached.readAt < DIRECTORY_CACHE_MS) {
      return cached.entry;
    }
    return this.fresh(id);
  }

  /** The principal's entry read now, not from the cache. */
  async fresh(id: string): Promise<VerifiedPrincipal | undefined> {
    await this.table.upToDate(this.timeoutMs);
    let latest: VerifiedPrincipal | null | undefined;
    for (const record of this.table.get(id)) {
      if (record.value === null) {
        latest = null;
        continue;
      }
      const decoded = await this.codec.decodeVerifiedPrincipal(record.value);
      if (decoded.ok) {
        latest = decoded.value;
      } else {
        this.skip(`${this.table.topic}/${record.partition}/${record.offset}`, decoded.reason);
      }
    }
    if (latest === null || latest === undefined) {
      this.cache.delete(id);
      return undefined;
    }
    this.cache.set(id, { entry: latest, readAt: this.now() });
    return latest;
  }

  /** A principal registered in `role`, or an error naming what is wrong. */
  async require(id: string, role: string): Promise<VerifiedPrincipal> {
    const entry = await this.find(id);
    if (entry === undefined) {
      throw new IdstreamError(`'${id}' is not registered`);
    }
    if (entry.principal.role !== role) {
      throw new IdstreamError(`'${id}' is registered as ${entry.principal.role}, not ${role}`);
    }
    return entry;
  }
}

import { randomUUID } from "node:crypto";
import type { Admin, Consumer, Kafka } from "kafkajs";
import { GENERATION_KEY, parseGeneration } from "./generation.js";

/** One record's key and value bytes, as a table keeps them (a null value is a tombstone). */
export interface RawRecord {
  partition: number;
  offset: string;
  value: Buffer | null;
}

/**
 * A compacted topic read from its beginning and followed as it grows, handing each keyed record to `keep`, which
 * holds what its lookups need and nothing more. `upToDate()`
 * returns once the table holds every record the topic had when it was called: a lookup after it sees the topic's
 * end at that moment, as the Java clients' reads of a partition to its end do.
 *
 * kafkajs reads only as a member of a consumer group, so the table's group is named `<groupPrefix><uuid>` (on a
 * secure cluster a consumer may use groups `<consumerId>.` only) and never commits: it starts from the beginning
 * each time.
 */
export abstract class TopicTable {
  private readonly positions = new Map<number, bigint>();
  private readonly waiters = new Set<() => void>();
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: () => Promise<Admin>,
    readonly topic: string,
    private readonly groupPrefix: string,
  ) {}

  /** Takes in one keyed record, in the topic's order. */
  protected abstract keep(key: string, record: RawRecord): void;

  /**
   * Waits until the table has read the topic to the end it has now; throws after `timeoutMs`, or with the reason
   * the read failed.
   */
  async upToDate(timeoutMs: number): Promise<void> {
    const admin = await this.admin();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await this.start();
    // A failure seen before this call ended that consumer (it is not restarted): this call started a new one.
    this.failure = undefined;
    const behind = () => ends.filter((end) => BigInt(end.high) > BigInt(end.low)
      && (this.positions.get(end.partition) ?? -1n) < BigInt(end.high));
    if (behind().length === 0) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`cannot read ${this.topic} to its end within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const check = () => {
        if (this.failure !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(this.failure);
        } else if (behind().length === 0) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  private start(): Promise<void> {
    if (this.starting === undefined) {
      this.starting = this.run().catch((error: unknown) => {
        this.starting = undefined;
        throw error;
      });
    }
    return this.starting;
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.groupPrefix}${randomUUID()}`, allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      this.moved(event.payload.partition, BigInt(event.payload.lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) {
        // kafkajs restarts the consumer itself and reads on from where it was: not a failure.
        return;
      }
      // The consumer stopped for good: the waiting calls fail, and the next call starts a new consumer, which reads
      // the topic from its beginning again.
      this.failure = event.payload.error;
      if (this.consumer === consumer) {
        this.consumer = undefined;
        this.starting = undefined;
      }
      void consumer.disconnect().catch(() => undefined);
      this.notify();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (message.key === null) {
            continue;
          }
          this.keep(message.key.toString("utf8"),
            { partition: batch.partition, offset: message.offset, value: message.value });
        }
      },
    });
  }

  private moved(partition: number, position: bigint): void {
    if (position > (this.positions.get(partition) ?? -1n)) {
      this.positions.set(partition, position);
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.starting = undefined;
    await consumer?.disconnect();
  }
}

/** How many records the directory keeps per key, newest last: the newest that decodes counts. */
export const KEPT_PER_KEY = 16;

/**
 * The verified directory's records as bytes, decoded by the lookup (so that a registry away fails that lookup and
 * not the read). Each principal costs at most its 16 newest records: only the processors write this topic, and a
 * record is bounded by the topic's `max.message.bytes`, so the memory is 16 x that limit per principal at most, and
 * about 16 x a principal's entry (well under 1 KiB each) in practice.
 */
export class DirectoryTable extends TopicTable {
  private readonly records = new Map<string, RawRecord[]>();

  /** The key's kept records, oldest first, as of the last `upToDate()`. */
  get(key: string): readonly RawRecord[] {
    return this.records.get(key) ?? [];
  }

  protected keep(key: string, record: RawRecord): void {
    const kept = this.records.get(key) ?? [];
    kept.push(record);
    if (kept.length > KEPT_PER_KEY) {
      kept.shift();
    }
    this.records.set(key, kept);
  }
}

/**
 * `<prefix>.generation` as docs/protocol.md section 9 has a client read it: the highest generation among the records
 * keyed `current` whose value has the exact shape; nothing else is kept, so no record can hide another.
 */
export class GenerationTable extends TopicTable {
  private highestSeen: number | undefined;

  /** The highest generation read so far, or undefined when no record named one. */
  highest(): number | undefined {
    return this.highestSeen;
  }

  protected keep(key: string, record: RawRecord): void {
    if (key !== GENERATION_KEY) {
      return;
    }
    const found = parseGeneration(record.value);
    if (found !== undefined && (this.highestSeen === undefined || found.number > this.highestSeen)) {
      this.highestSeen = found.number;
    }
  }
}

import { randomUUID } from "node:crypto";
import type { Admin, Consumer, Kafka } from "kafkajs";

/** One record's key and value bytes, as a table keeps them (a null value is a tombstone). */
export interface RawRecord {
  partition: number;
  offset: string;
  value: Buffer | null;
}

/** How many records a table keeps per key, newest last: the newest that decodes counts. */
const KEPT_PER_KEY = 16;

/**
 * A compacted topic read from its beginning and followed as it grows, keeping each key's latest records as bytes
 * (decoded by whoever looks them up, so that a registry away fails that lookup and not the read). `upToDate()`
 * returns once the table holds every record the topic had when it was called: a lookup after it sees the topic's
 * end at that moment, as the Java clients' reads of a partition to its end do.
 *
 * kafkajs reads only as a member of a consumer group, so the table's group is named `<groupPrefix><uuid>` (on a
 * secure cluster a consumer may use groups `<consumerId>.` only) and never commits: it starts from the beginning
 * each time.
 */
export class TopicTable {
  private readonly records = new Map<string, RawRecord[]>();
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

  /** The key's records, oldest first, as of the last `upToDate()`. */
  get(key: string): readonly RawRecord[] {
    return this.records.get(key) ?? [];
  }

  /**
   * Waits until the table has read the topic to the end it has now; throws after `timeoutMs`, or with the reason
   * the read failed.
   */
  async upToDate(timeoutMs: number): Promise<void> {
    const admin = await this.admin();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await this.start();
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
      this.failure = event.payload.error;
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
          const key = message.key.toString("utf8");
          const kept = this.records.get(key) ?? [];
          kept.push({ partition: batch.partition, offset: message.offset, value: message.value });
          this.records.set(key, kept.slice(-KEPT_PER_KEY));
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

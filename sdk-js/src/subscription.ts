import type { Admin, Consumer, Kafka } from "kafkajs";
import type { DeliveryOutcome, RecordPosition } from "./outcome.js";
import { kafkaFailure } from "./kafka-errors.js";

/** An outcome, with where its record sits on the delivery topic. */
export type ReceivedOutcome = DeliveryOutcome & { position: RecordPosition };

/** Judges one record of the delivery topic: decoding, the trust checks and the request ledger. */
export type RecordJudge = (value: Buffer | null, position: RecordPosition) => Promise<DeliveryOutcome>;

interface Waiter {
  resolve: (outcome: ReceivedOutcome | undefined) => void;
  reject: (error: Error) => void;
  settled: boolean;
}

/** How often a subscription whose caller is not asking for the next outcome still tells the group it is alive. */
const HEARTBEAT_MS = 3000;

/**
 * The consumer's delivery topic, read as a member of a consumer group (docs/sdk.md "ConsumerClient"): from the
 * start the first time, from the group's committed offsets after. Records are judged one at a time, when the caller
 * asks for the next outcome, and a record's offset counts as read (and is committed) only once its outcome reached
 * the caller: a record whose judging failed (the registry or the directory away) is read again by the next call, and
 * one judged while nobody waited is kept for the next caller, never dropped. Iterate it with `for await`, or take
 * outcomes with `next(timeoutMs)` and `await(...)`.
 */
export class Subscription implements AsyncIterable<ReceivedOutcome> {
  private readonly waiters: Waiter[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private failure: Error | undefined;

  private constructor(private readonly consumer: Consumer, readonly topic: string) {}

  /** Joins `groupId` on `topic`; fails at once, in one line, when Kafka cannot be reached or refuses the topic. */
  static async open(kafka: Kafka, admin: Admin, topic: string, groupId: string, judge: RecordJudge)
    : Promise<Subscription> {
    const hint = `(a consumer needs READ and DESCRIBE on ${topic}, and READ on its group ${groupId})`;
    try {
      await admin.fetchTopicOffsets(topic);
    } catch (error) {
      throw kafkaFailure(`cannot read ${topic}`, error, hint);
    }
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const subscription = new Subscription(consumer, topic);
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) {
        subscription.fail(kafkaFailure(`cannot read ${topic}`, event.payload.error, hint));
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale() || !(await subscription.demanded(heartbeat))) {
              return;
            }
            const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
            let outcome: DeliveryOutcome;
            try {
              outcome = await judge(message.value, position);
            } catch (error) {
              // Read again by the next call: nothing of this record counts as read.
              consumer.seek({ topic: batch.topic, partition: batch.partition, offset: message.offset });
              subscription.handOver(undefined, error instanceof Error ? error : new Error(String(error)));
              return;
            }
            if (!(await subscription.deliver({ ...outcome, position }, heartbeat))) {
              return;
            }
            resolveOffset(message.offset);
          }
        },
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw kafkaFailure(`cannot read ${topic}`, error, hint);
    }
    return subscription;
  }

  /**
   * The next outcome; undefined once the subscription is closed, or when `timeoutMs` passes first. Rejects with the
   * reason the record could not be judged (the next call reads it again), or the subscription failed.
   */
  next(timeoutMs?: number): Promise<ReceivedOutcome | undefined> {
    if (this.failure !== undefined) {
      return Promise.reject(this.failure);
    }
    if (this.closing) {
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, settled: false };
      this.waiters.push(waiter);
      if (timeoutMs !== undefined) {
        setTimeout(() => {
          if (!waiter.settled) {
            waiter.settled = true;
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            resolve(undefined);
          }
        }, timeoutMs);
      }
      this.wake?.();
    });
  }

  /** The first outcome for `requestId` that passes `wanted`, or undefined when `timeoutMs` passes first. */
  async await(requestId: string, wanted: (outcome: ReceivedOutcome) => boolean, timeoutMs: number)
    : Promise<ReceivedOutcome | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let left = timeoutMs; left > 0; left = deadline - Date.now()) {
      const outcome = await this.next(left);
      if (outcome !== undefined && outcome.requestId === requestId && wanted(outcome)) {
        return outcome;
      }
      if (outcome === undefined && this.closing) {
        return undefined;
      }
    }
    return undefined;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ReceivedOutcome> {
    for (;;) {
      const outcome = await this.next();
      if (outcome === undefined) {
        return;
      }
      yield outcome;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    for (const waiter of this.waiters.splice(0)) {
      waiter.settled = true;
      waiter.resolve(undefined);
    }
    await this.consumer.disconnect();
  }

  /** Waits until a caller asks for an outcome (heartbeating meanwhile); false once the subscription closes. */
  private async demanded(heartbeat: () => Promise<void>): Promise<boolean> {
    while (!this.closing && this.waiters.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HEARTBEAT_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      await heartbeat().catch(() => undefined);
    }
    return !this.closing;
  }

  /** Hands the outcome to the first caller still waiting, waiting for one if need be; false if it closed first. */
  private async deliver(outcome: ReceivedOutcome, heartbeat: () => Promise<void>): Promise<boolean> {
    while (await this.demanded(heartbeat)) {
      if (this.handOver(outcome, undefined)) {
        return true;
      }
    }
    return false;
  }

  private handOver(outcome: ReceivedOutcome | undefined, error: Error | undefined): boolean {
    const waiter = this.waiters.shift();
    if (waiter === undefined || waiter.settled) {
      return false;
    }
    waiter.settled = true;
    if (error !== undefined) {
      waiter.reject(error);
    } else {
      waiter.resolve(outcome);
    }
    return true;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) {
      waiter.settled = true;
      waiter.reject(error);
    }
  }
}

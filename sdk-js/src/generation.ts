import { IdstreamError } from "./errors.js";

/**
 * The generation of the holder-keyed topics in use (docs/protocol.md section 9, "Topic generations"), as the Java
 * `GenerationFollower` follows it: read before the first write and again at most every `refreshMs`; a write that a
 * closed topic refuses as too large waits for a higher generation (reading it every 250 ms, trying the closed topic
 * again every 2 s, in case a failed growth opened it again) up to the client's timeout, and is then written there.
 */

/**
 * A generation's number. Its partition count is checked when its record is read but not kept: kafkajs's producer
 * takes a topic's partition count from the cluster's metadata, so nothing here depends on it.
 */
export interface Generation {
  number: number;
}

/** The key of every record of `<prefix>.generation`. */
export const GENERATION_KEY = "current";
export const AWAIT_INTERVAL_MS = 250;
export const RETRY_INTERVAL_MS = 2000;
export const REFRESH_MS = 10_000;
/** What a batch adds to a record's key and value (the Java `RecordLimits.BATCH_OVERHEAD`). */
export const BATCH_OVERHEAD = 100;
/** `max.message.bytes` of the requests topic (the catalogue's `REQUESTS_MAX_MESSAGE_BYTES`). */
export const REQUESTS_MAX_MESSAGE_BYTES = 64 * 1024;

const GENERATION_TEXT = /^\{"generation":(0|[1-9][0-9]{0,3}),"partitions":([1-9][0-9]{0,4})\}$/;

/** The generation a record's value names, or undefined for a value of any other shape. */
export function parseGeneration(value: Buffer | null): Generation | undefined {
  if (value === null || value.length > 64) {
    return undefined;
  }
  const match = GENERATION_TEXT.exec(value.toString("utf8"));
  if (match === null) {
    return undefined;
  }
  return Number(match[2]) > 10_000 ? undefined : { number: Number(match[1]) };
}

/** A holder-keyed topic's name in a generation: `<prefix>.<name>`, or `<prefix>.g<G>.<name>` from generation 1. */
export function generationTopic(prefix: string, generation: number, name: string): string {
  return generation === 0 ? `${prefix}.${name}` : `${prefix}.g${generation}.${name}`;
}

/** The broker refused a write as too large although the record is under the topic's limit: the topic is closed. */
export class TopicClosedError extends Error {}

/**
 * What to throw for a write the broker refused as too large: `TopicClosedError` for a record under the topic's
 * limit, else an error naming the record's size and the limit, so that the caller fails at once.
 */
export function tooLarge(topic: string, keyBytes: number, valueBytes: number, limit: number, refusal: string): Error {
  const size = keyBytes + valueBytes + BATCH_OVERHEAD;
  if (size <= limit) {
    return new TopicClosedError(refusal);
  }
  return new IdstreamError(`cannot write to ${topic}: the record is ${size} bytes with its batch overhead, over the `
    + `topic's limit of ${limit} bytes (max.message.bytes)`);
}

export interface GenerationFollowerOptions {
  prefix: string;
  /** How long a write waits for a newer generation once its topic refused it as closed. */
  timeoutMs: number;
  refreshMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class GenerationFollower {
  private known: Generation | undefined;
  private readAt = 0;
  private reading: Promise<Generation> | undefined;
  private readonly refreshMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  /** @param read reads the generation in use from `<prefix>.generation` */
  constructor(private readonly read: () => Promise<Generation>, private readonly options: GenerationFollowerOptions) {
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** The generation in use, read again when the last read is older than `maxAgeMs`; it only moves forward. */
  async current(maxAgeMs = this.refreshMs): Promise<Generation> {
    const known = this.known;
    if (known !== undefined && this.now() - this.readAt < maxAgeMs) {
      return known;
    }
    if (this.reading === undefined) {
      this.reading = this.read().finally(() => {
        this.reading = undefined;
      });
    }
    try {
      const read = await this.reading;
      if (this.known === undefined || read.number > this.known.number) {
        this.known = read;
      }
    } catch (error) {
      if (known === undefined) {
        throw error;
      }
      // A re-read that fails keeps the generation known, and is tried again when it is due.
    }
    this.readAt = this.now();
    return this.known as Generation;
  }

  /** The topic `name` (such as `access.requests`) of the generation in use. */
  async topic(name: string): Promise<string> {
    return generationTopic(this.options.prefix, (await this.current()).number, name);
  }

  /**
   * `write` of a record to the topic `name` of the generation in use; when it throws `TopicClosedError`, to the
   * same topic of the next generation once one is published, or to the closed topic again after 2 s.
   */
  async writeFollowing<T>(name: string, write: (topic: string) => Promise<T>): Promise<T> {
    let generation = await this.current();
    let refusedBy: string | undefined;
    let deadline = 0;
    for (;;) {
      const topic = generationTopic(this.options.prefix, generation.number, name);
      try {
        return await write(topic);
      } catch (error) {
        if (!(error instanceof TopicClosedError)) {
          throw error;
        }
        if (topic !== refusedBy) {
          refusedBy = topic;
          deadline = this.now() + this.options.timeoutMs;
        }
        generation = await this.awaitSuccessor(topic, generation, error.message, deadline);
      }
    }
  }

  private async awaitSuccessor(closed: string, generation: Generation, refusal: string, deadline: number)
    : Promise<Generation> {
    const retryAt = this.now() + RETRY_INTERVAL_MS;
    for (;;) {
      const current = await this.current(0);
      if (current.number > generation.number) {
        return current;
      }
      const now = this.now();
      if (now >= deadline) {
        throw new IdstreamError(`cannot write to ${closed}: the topic is closed for a partition growth and no newer `
          + `generation appeared within ${Math.round(this.options.timeoutMs / 1000)} s (${refusal})`);
      }
      if (now >= retryAt) {
        return generation;
      }
      await this.sleep(Math.max(1, Math.min(AWAIT_INTERVAL_MS, Math.min(deadline, retryAt) - now)));
    }
  }
}

import { Kafka, type Admin, type KafkaConfig, type Producer, logLevel } from "kafkajs";
import { RecordCodec, type RegistryOptions } from "./codec.js";
import { DirectoryClient, type SkipReport } from "./directory.js";
import { IdstreamError } from "./errors.js";
import {
  type Generation, GenerationFollower, REQUESTS_MAX_MESSAGE_BYTES, tooLarge,
} from "./generation.js";
import { errorTypes, kafkaFailure } from "./kafka-errors.js";
import type { ConsumerIdentity } from "./keys.js";
import { RequestLedger } from "./ledger.js";
import type { Check, DeliveryOutcome, RecordPosition } from "./outcome.js";
import { keyPartitioner } from "./partition.js";
import type { AccessRequest, DeliveryEvent } from "./records.js";
import { newAccessRequest } from "./requests.js";
import { type ReceivedOutcome, Subscription } from "./subscription.js";
import { DirectoryTable, GenerationTable } from "./tail.js";
import { ConsumerTrust } from "./trust.js";
import { fromHex } from "./encoding.js";

export interface ConsumerClientOptions {
  /** The consumer's keys, from `loadIdentity`. */
  identity: ConsumerIdentity;
  /** kafkajs's settings (`brokers`, `ssl`, `sasl`, ...), passed through. */
  kafka: KafkaConfig;
  /** The Schema Registry. */
  registry: RegistryOptions;
  /**
   * The operator keys whose accreditations of issuers this consumer trusts, 64 hex digits each (the Java clients'
   * `idstream.operator.keys`); with none, every delivery is refused as `ISSUER_ACCREDITATION`.
   */
  operatorKeys: readonly string[];
  /** The topics' prefix, `idstream` by default. */
  topicPrefix?: string;
  /** Where the requests sent and answered are kept (`<stateDir>/<consumerId>/requests`), shared with the Java CLI. */
  stateDir?: string;
  /** How long one write or read waits for Kafka, in milliseconds; 30000 by default. */
  timeoutMs?: number;
  /** Told of each record read past because it does not decode; by default a warning on stderr. */
  onSkippedRecord?: SkipReport;
}

/** What a request asks, for `expect`. */
export interface ExpectedRequest {
  holderId: string;
  credentialType?: string;
  credentialId?: string;
  fields: readonly string[];
  purpose: string;
}

/** The checks a key the directory bound since this client cached the entry would fail. */
const MAY_BE_A_STALE_KEY: ReadonlySet<Check> = new Set<Check>(
  ["ISSUER_SIGNATURE", "HOLDER_SIGNATURE", "ISSUER_ACCREDITATION", "NOTICE_STATEMENT"]);
/** How many skipped records a client remembers, so that each is reported once (the Java clients' number). */
const SKIPPED_REMEMBERED = 1000;
const PREFIX = /^[a-z0-9][a-z0-9.-]{0,100}$/;
const OPERATOR_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * A consumer's client, as the Java `ConsumerClient` (docs/sdk.md "ConsumerClient"): signs requests for a holder's
 * fields and sends them, and reads the consumer's delivery topic, verifying each delivery with nothing but the
 * issuer's and holder's keys from the verified directory, the operator keys it pins and its own key, and accepting it
 * only as the first answer to a request it sent, answering what that request asked (docs/protocol.md section 8).
 */
export class ConsumerClient {
  readonly identity: ConsumerIdentity;
  readonly deliveriesTopic: string;
  private readonly kafka: Kafka;
  private readonly codec: RecordCodec;
  private readonly trust: ConsumerTrust;
  private readonly ledger: RequestLedger;
  private readonly directory: DirectoryClient;
  private readonly generations: GenerationFollower;
  private readonly generationTable: GenerationTable;
  private readonly directoryTable: DirectoryTable;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly skipped = new Set<string>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly report: SkipReport;
  private producer: Promise<Producer> | undefined;
  private adminClient: Promise<Admin> | undefined;

  constructor(options: ConsumerClientOptions) {
    this.identity = options.identity;
    this.prefix = options.topicPrefix ?? "idstream";
    if (!PREFIX.test(this.prefix)) {
      throw new IdstreamError(`topicPrefix must match ${PREFIX.source}: ${this.prefix}`);
    }
    for (const key of options.operatorKeys) {
      if (!OPERATOR_KEY.test(key)) {
        throw new IdstreamError("operatorKeys must be 64 hex digits each");
      }
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.deliveriesTopic = `${this.prefix}.deliveries.${this.identity.id}`;
    this.kafka = new Kafka({ logLevel: logLevel.WARN, ...options.kafka });
    this.codec = new RecordCodec(options.registry);
    this.trust = new ConsumerTrust(options.operatorKeys.map((key) => fromHex(key.toLowerCase())));
    this.ledger = new RequestLedger(this.identity.id, options.stateDir);
    this.report = options.onSkippedRecord
      ?? ((position, reason) => process.stderr.write(`idstream: skipped the record at ${position}: ${reason}\n`));
    const groupPrefix = `${this.identity.id}.`;
    const admin = () => this.admin();
    this.directoryTable = new DirectoryTable(this.kafka, admin, `${this.prefix}.directory.verified`, groupPrefix);
    this.generationTable = new GenerationTable(this.kafka, admin, `${this.prefix}.generation`, groupPrefix);
    this.directory = new DirectoryClient(this.directoryTable, this.codec, this.timeoutMs,
      (position, reason) => this.skip(position, reason));
    this.generations = new GenerationFollower(() => this.readGeneration(),
      { prefix: this.prefix, timeoutMs: this.timeoutMs });
  }

  /** Asks the holder for fields of its newest credential of the type; returns the request id. */
  request(holderId: string, credentialType: string, fields: readonly string[], purpose: string): Promise<string> {
    return this.send({ holderId, credentialType, fields, purpose });
  }

  /** Asks the holder for fields of one named credential; returns the request id. */
  requestCredential(holderId: string, credentialId: string, fields: readonly string[], purpose: string)
    : Promise<string> {
    return this.send({ holderId, credentialId, fields, purpose });
  }

  /**
   * Accepts an answer to `requestId`, a request of this consumer's signed elsewhere, asking what `asked` says; without
   * `asked`, an answer from any holder for any purpose (giving up the comparisons of section 8's `UNSOLICITED`).
   */
  expect(requestId: string, asked?: ExpectedRequest): void {
    this.ledger.expect(requestId, asked === undefined ? undefined : {
      holderId: asked.holderId, credentialType: asked.credentialType ?? "", credentialId: asked.credentialId ?? "",
      purpose: asked.purpose, fields: [...asked.fields],
    });
  }

  /** Opens the delivery topic as a member of `groupId` (on a secure cluster, `<consumerId>.<anything>`). */
  async subscribe(groupId: string): Promise<Subscription> {
    const subscription = await Subscription.open(this.kafka, await this.admin(), this.deliveriesTopic, groupId,
      (value, position) => this.judgeRecord(value, position));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Verifies one event read elsewhere (a webhook's), at `position` of the delivery topic: the same record verified
   * again is the same answer, another record answering the same request `REPEATED`.
   */
  async verify(event: DeliveryEvent, position: RecordPosition): Promise<DeliveryOutcome> {
    return this.ledger.judge(event, await this.judge(event), position);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled([this.directoryTable.close(), this.generationTable.close()]);
    const producer = this.producer;
    const admin = this.adminClient;
    this.producer = undefined;
    this.adminClient = undefined;
    await Promise.allSettled([producer?.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())]);
  }

  private async send(terms: ExpectedRequest): Promise<string> {
    await this.directory.require(terms.holderId, "holder");
    const request = newAccessRequest(this.identity, terms);
    // Remembered before it is sent, so that an answer read at once is not unsolicited.
    this.ledger.sent(request);
    await this.generations.writeFollowing("access.requests", (topic) => this.write(topic, request));
    return request.requestId;
  }

  private async write(topic: string, request: AccessRequest): Promise<void> {
    const value = await this.codec.encodeAccessRequest(topic, request);
    const producer = await this.connectedProducer();
    try {
      await producer.send({ topic, acks: -1, timeout: this.timeoutMs, messages: [{ key: request.holderId, value }] });
    } catch (error) {
      if (errorTypes(error).includes("MESSAGE_TOO_LARGE")) {
        throw tooLarge(topic, Buffer.byteLength(request.holderId), value.length, REQUESTS_MAX_MESSAGE_BYTES,
          error instanceof Error ? error.message : String(error));
      }
      throw kafkaFailure(`cannot write to ${topic}`, error, `(a consumer needs WRITE and DESCRIBE on ${topic})`);
    }
  }

  private async judgeRecord(value: Buffer | null, position: RecordPosition): Promise<DeliveryOutcome> {
    const where = `${position.topic}/${position.partition}/${position.offset}`;
    const decoded = value === null ? { ok: false as const, reason: "is empty" }
      : await this.codec.decodeDeliveryEvent(value);
    if (!decoded.ok) {
      this.skip(where, decoded.reason);
      return { kind: "refused", requestId: "", check: "STRUCTURE",
        reason: `the record at ${where} ${decoded.reason}; skipped` };
    }
    return this.verify(decoded.value, position);
  }

  /**
   * The trust checks of one event, under the directory entries cached, and once more under entries read now when a
   * signature or an accreditation did not verify: a holder or issuer that rotated its keys signs with a key the
   * cached entry does not know yet.
   */
  private async judge(event: DeliveryEvent): Promise<DeliveryOutcome> {
    const now = Date.now();
    const outcome = await this.trust.judge(event, (id) => this.directory.find(id), this.identity.encryptionKey, now);
    if (outcome.kind === "refused" && MAY_BE_A_STALE_KEY.has(outcome.check)) {
      return this.trust.judge(event, (id) => this.directory.fresh(id), this.identity.encryptionKey, now);
    }
    return outcome;
  }

  private async readGeneration(): Promise<Generation> {
    const topic = this.generationTable.topic;
    try {
      await (await this.admin()).fetchTopicOffsets(topic);
    } catch (error) {
      if (errorTypes(error).includes("UNKNOWN_TOPIC_OR_PARTITION")) {
        return { number: 0 };
      }
      throw kafkaFailure(`cannot read the generation of the topics in use from ${topic}`, error,
        "(a participant needs READ and DESCRIBE on it)");
    }
    await this.generationTable.upToDate(this.timeoutMs);
    return { number: this.generationTable.highest() ?? 0 };
  }

  private skip(position: string, reason: string): void {
    if (!this.skipped.has(position)) {
      this.skipped.add(position);
      // Each record is reported once while it is remembered; beyond that the oldest are forgotten.
      if (this.skipped.size > SKIPPED_REMEMBERED) {
        this.skipped.delete(this.skipped.values().next().value as string);
      }
      this.report(position, reason);
    }
  }

  private admin(): Promise<Admin> {
    if (this.adminClient === undefined) {
      const admin = this.kafka.admin();
      this.adminClient = admin.connect().then(() => admin).catch((error: unknown) => {
        this.adminClient = undefined;
        throw kafkaFailure("cannot reach Kafka", error, "");
      });
    }
    return this.adminClient;
  }

  private connectedProducer(): Promise<Producer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({ idempotent: true, allowAutoTopicCreation: false,
        createPartitioner: keyPartitioner });
      this.producer = producer.connect().then(() => producer).catch((error: unknown) => {
        this.producer = undefined;
        throw kafkaFailure("cannot reach Kafka", error, "");
      });
    }
    return this.producer;
  }
}

export type { ReceivedOutcome };

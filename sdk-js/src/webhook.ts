import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { RecordShapeError, deliveryEventFromJson } from "./avro.js";
import type { DeliveryOutcome, RecordPosition } from "./outcome.js";
import type { DeliveryEvent } from "./records.js";

/** The body's version (docs/webhook.md "Body"). */
export const WEBHOOK_VERSION = "idstream/v1/webhook";
/** How many delivery ids a receiver remembers by default, to drop repeats by. */
export const DEFAULT_REMEMBERED_IDS = 100_000;
/** The Standard Webhooks window either side of now, which the `standardwebhooks` package checks. */
const TOLERANCE_SECONDS = 300;

/** A POST that must be answered 400: the message says which check failed, never a key or a value. */
export class WebhookRejectedError extends Error {
  override readonly name: string = "WebhookRejectedError";
}

/** A delivery id this receiver already handed to the consumer: answer 2xx and do not process it again. */
export class WebhookRepeatError extends WebhookRejectedError {
  override readonly name: string = "WebhookRepeatError";

  constructor(readonly id: string) {
    super(`delivery ${id} was already accepted: answer 2xx and do not process it again`);
  }
}

/** One authenticated POST: an event of the consumer's delivery topic, still encrypted, and where it sits. */
export interface WebhookPayload {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  event: DeliveryEvent;
}

/** What judges an event read at a position: the consumer client (`ConsumerClient.verify`). */
export interface EventVerifier {
  /** The consumer's delivery topic: a POST naming another topic carries no event of this consumer's. */
  readonly deliveriesTopic: string;
  verify(event: DeliveryEvent, position: RecordPosition): Promise<DeliveryOutcome>;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** The id as the `webhook-id` header carries it: each `%` written `%25`, each `.` written `%2E`. */
export function webhookId(id: string): string {
  return id.replaceAll("%", "%25").replaceAll(".", "%2E");
}

/**
 * The consumer's side of the webhook (docs/webhook.md "Verifying a POST"), as the Java `WebhookReceiver`: the
 * `standardwebhooks` package checks the headers, the five-minute window and the signature over the raw body; then the
 * body must be an `idstream/v1/webhook` payload whose id, escaped, is the `webhook-id`; a delivery id already handed
 * on is a `WebhookRepeatError`; and the consumer client judges the event at the position the id names, exactly as a
 * record read from its topic. The ids handed on are remembered for as long as a POST with them could pass the time
 * check, up to `rememberedIds`, in this process only. The time check and that memory both read the system clock.
 */
export class WebhookReceiver {
  private readonly webhook: Webhook;
  /** Id to the unix second after which a POST with it is too old anyway; least recently seen first. */
  private readonly accepted = new Map<string, number>();
  private readonly rememberedIds: number;

  /** @param secret the shared secret, `whsec_<base64 key>`, as the sink's `webhook.secret` */
  constructor(secret: string, options: { rememberedIds?: number } = {}) {
    this.webhook = new Webhook(secret);
    this.rememberedIds = options.rememberedIds ?? DEFAULT_REMEMBERED_IDS;
  }

  /** The authenticated payload, still encrypted; remembers nothing (steps 1 to 4). */
  payload(headers: WebhookHeaders, body: Buffer | string): WebhookPayload {
    return this.authenticate(headers, body).payload;
  }

  /** The payload and the signed timestamp, both read from the headers the signature was checked over. */
  private authenticate(headers: WebhookHeaders, body: Buffer | string)
    : { payload: WebhookPayload; timestamp: number } {
    // Header names are case-insensitive: the names are lower-cased once, and only these values are read after.
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined) {
        flat[name.toLowerCase()] = first;
      }
    }
    let parsed: unknown;
    try {
      parsed = this.webhook.verify(body, flat);
    } catch (error) {
      if (error instanceof WebhookVerificationError || error instanceof SyntaxError) {
        throw new WebhookRejectedError(`the POST does not verify: ${error.message}`);
      }
      throw error;
    }
    const payload = readPayload(parsed);
    if (webhookId(payload.id) !== flat["webhook-id"]) {
      throw new WebhookRejectedError("the webhook-id header is not the body's id");
    }
    return { payload, timestamp: Number.parseInt(flat["webhook-timestamp"] ?? "", 10) };
  }

  /**
   * The POST's event judged by `consumer` at the position its id names (`Delivered`, `Refused` with its check, or a
   * `Notice`); `store` keeps the outcome before the id counts as accepted, so that a failure to keep it (answer 5xx)
   * gets the sink's retry handed on again. A repeat throws `WebhookRepeatError`; any other refusal
   * `WebhookRejectedError`.
   */
  async receive(headers: WebhookHeaders, body: Buffer | string, consumer: EventVerifier,
    store: (outcome: DeliveryOutcome) => void | Promise<void> = () => undefined): Promise<DeliveryOutcome> {
    const { payload, timestamp } = this.authenticate(headers, body);
    if (payload.topic !== consumer.deliveriesTopic) {
      throw new WebhookRejectedError(`the POST names the topic '${payload.topic}', not this consumer's delivery topic `
        + `'${consumer.deliveriesTopic}'`);
    }
    if (!Number.isSafeInteger(timestamp)) {
      throw new WebhookRejectedError("the webhook-timestamp header is not a number of seconds");
    }
    if (!this.claim(payload.id, timestamp + TOLERANCE_SECONDS)) {
      throw new WebhookRepeatError(payload.id);
    }
    try {
      const outcome = await consumer.verify(payload.event,
        { topic: payload.topic, partition: payload.partition, offset: payload.offset });
      await store(outcome);
      return outcome;
    } catch (error) {
      this.accepted.delete(payload.id);
      throw error;
    }
  }

  private claim(id: string, expiresAt: number, nowMs = Date.now()): boolean {
    const now = Math.floor(nowMs / 1000);
    for (const [known, expiry] of this.accepted) {
      if (expiry >= now) {
        break;
      }
      this.accepted.delete(known);
    }
    const known = this.accepted.get(id);
    this.accepted.delete(id);
    if (known !== undefined && known >= now) {
      this.accepted.set(id, Math.max(known, expiresAt));
      return false;
    }
    this.accepted.set(id, expiresAt);
    while (this.accepted.size > this.rememberedIds) {
      this.accepted.delete(this.accepted.keys().next().value as string);
    }
    return true;
  }
}

function readPayload(parsed: unknown): WebhookPayload {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new WebhookRejectedError("malformed webhook body: the body is not a JSON object");
  }
  const body = parsed as Record<string, unknown>;
  if (body.version !== WEBHOOK_VERSION) {
    throw new WebhookRejectedError(`malformed webhook body: version must be ${WEBHOOK_VERSION}`);
  }
  for (const name of ["id", "topic", "key"]) {
    if (typeof body[name] !== "string") {
      throw new WebhookRejectedError(`malformed webhook body: ${name} must be a string`);
    }
  }
  if (!Number.isInteger(body.partition) || !Number.isSafeInteger(body.offset) || (body.offset as number) < 0) {
    throw new WebhookRejectedError("malformed webhook body: partition and offset must be integers");
  }
  if (!("event" in body)) {
    throw new WebhookRejectedError("malformed webhook body: event is missing");
  }
  const topic = body.topic as string;
  const partition = body.partition as number;
  const offset = String(body.offset);
  if (body.id !== `${topic}/${partition}/${offset}`) {
    throw new WebhookRejectedError("malformed webhook body: id is not <topic>/<partition>/<offset>");
  }
  let event: DeliveryEvent;
  try {
    event = deliveryEventFromJson(body.event);
  } catch (error) {
    if (error instanceof RecordShapeError) {
      throw new WebhookRejectedError(`malformed webhook body: ${error.message}`);
    }
    throw error;
  }
  return { id: body.id as string, topic, partition, offset, key: body.key as string, event };
}

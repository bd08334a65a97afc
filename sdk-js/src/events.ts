/**
 * Telling the two records of a `DeliveryEvent` apart. A notice is tagged `type: "ConsumerNotice"`; a delivery keeps
 * its credential type in its own `type` field (as the Avro mapping gives it), so a delivery is told by its grant, not
 * by a tag, and a credential type spelled "ConsumerNotice" does not make a delivery a notice.
 */
import type { ConsumerNotice, CredentialDelivery, DeliveryEvent } from "./records.js";

/** The notice an event carries, or undefined for a delivery. */
export function noticeOf(event: DeliveryEvent): ConsumerNotice | undefined {
  const record = event as Partial<CredentialDelivery> & { type: string };
  return record.type === "ConsumerNotice" && record.grant === undefined ? event as ConsumerNotice : undefined;
}

/** The delivery an event carries, or undefined for a notice. */
export function deliveryOf(event: DeliveryEvent): CredentialDelivery | undefined {
  return noticeOf(event) === undefined ? event as unknown as CredentialDelivery : undefined;
}

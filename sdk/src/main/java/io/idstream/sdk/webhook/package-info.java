/**
 * Deliveries by webhook: the JSON body the delivery sink connector POSTs (still encrypted), its Standard Webhooks
 * signature headers, and the receiver's check of both before the body goes to the consumer's delivery verifier.
 */
package io.idstream.sdk.webhook;

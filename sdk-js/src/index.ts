export type * from "./records.js";
export type * from "./outcome.js";

export { lp, u32, u64, concat, sortedNames, compareNames, isStrictlySorted, hex, fromHex, utf8 } from "./encoding.js";
export { PRINCIPAL_ID, UUID, FIELD_NAME } from "./identifiers.js";
export {
  sha256, ed25519PublicKey, x25519PublicKey, ed25519PrivateKey, x25519PrivateKey, rawPublicKey, verifyEd25519,
} from "./primitives.js";
export { loadIdentity, KeyError } from "./keys.js";
export type { ConsumerIdentity, LoadIdentityOptions } from "./keys.js";
export {
  credentialTbs, requestTbs, grantTbs, denyTbs, revokeTbs, eraseTbs, credentialRevokeTbs, principalTbs, accreditTbs,
  withdrawTbs,
} from "./tbs.js";
export type { RequestTerms, CredentialHeader, GrantStatement } from "./tbs.js";
export { newAccessRequest } from "./requests.js";
export type { AccessRequestTerms } from "./requests.js";
export { verifyDelivery } from "./verify.js";
export type { DeliveryVerification } from "./verify.js";
export { ConsumerTrust } from "./trust.js";
export type { PrincipalLookup } from "./trust.js";
export { RequestLedger, LedgerError } from "./ledger.js";
export type { AskedTerms } from "./ledger.js";
export { IdstreamError } from "./errors.js";
export { RegistryUnavailableError } from "./codec.js";
export type { RegistryOptions } from "./codec.js";
export { Subscription } from "./subscription.js";
export type { ReceivedOutcome } from "./subscription.js";
export { WebhookReceiver, WebhookRejectedError, WebhookRepeatError, webhookId } from "./webhook.js";
export type { WebhookPayload, WebhookHeaders, EventVerifier } from "./webhook.js";
export { ConsumerClient } from "./client.js";
export type { ConsumerClientOptions, ExpectedRequest } from "./client.js";
export type { SkipReport } from "./directory.js";

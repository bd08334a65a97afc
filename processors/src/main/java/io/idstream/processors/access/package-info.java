/**
 * One stream task per holder partition: the storage processor admits issuers' credentials to the vault; the access
 * processor routes consumers' requests, holders' decisions, issuers' revocations and expiry to a handler each, which
 * share the task's {@code HolderState} and write through one {@code AccessOutbox}.
 */
package io.idstream.processors.access;

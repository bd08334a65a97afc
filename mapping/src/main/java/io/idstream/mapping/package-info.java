/**
 * The one mapping between the Avro records on the topics and the crypto module's statements: each record kind is
 * converted, signed as a record and verified as a record in one class that the processors, the SDK and the tests
 * all call, so that a verifier and a signer can never read a record differently.
 */
package io.idstream.mapping;

package io.idstream.sdk;

/**
 * What a key rotation did: how many stored credentials it re-sealed to the new encryption key, and how many grants
 * in force it ended (the processors end every grant the old signing key signed, docs/protocol.md section 11; the
 * consumers must ask again). An issuer's or consumer's rotation re-keys nothing and ends nothing it can count.
 */
public record Rotation(int credentialsRekeyed, int grantsEnded) {
}

package io.idstream.sdk;

/**
 * What became of a credential an issuer sent: stored in the holder's vault, or refused by the processors with their
 * reason code (docs/protocol.md section 13, for example {@code no-write-grant}) and detail, as the issuer's notice
 * topic told it.
 */
public record IssuanceOutcome(String credentialId, boolean stored, String reason, String detail) {
}

package io.idstream.processors;

/**
 * Why the processors refused an input record. The code goes into the {@code idstream.reason} header of the record on
 * the rejected topic and names the per-reason rejection metric.
 */
public enum RejectReason {
    NOT_AVRO("not-avro", "the bytes are not an Avro record in the Confluent wire format"),
    UNKNOWN_SCHEMA("unknown-schema", "the record names a schema id the registry does not have"),
    MALFORMED("malformed", "an id, name or list has the wrong shape"),
    KEY_MISMATCH("key-mismatch", "the record key is not the id the record is about"),
    WRONG_PARTITION("wrong-partition", "the record is in another partition than the one its key hashes to"),
    OVERSIZE("oversize", "the record exceeds a configured size limit"),
    TOO_MANY_PENDING("too-many-pending", "the consumer already has as many requests waiting for the holder as the "
            + "limit allows"),
    BAD_SIGNATURE("bad-signature", "a signature does not verify"),
    UNKNOWN_PRINCIPAL("unknown-principal", "a principal named in the record is not registered"),
    WRONG_ROLE("wrong-role", "a principal acts outside its registered role"),
    NOT_ACCREDITED("not-accredited", "an issuer is not accredited by a trusted operator key"),
    ID_TAKEN("id-taken", "a registration claims an id bound to another signing key"),
    UNKNOWN_HOLDER("unknown-holder", "the holder named is not registered"),
    UNKNOWN_CREDENTIAL("unknown-credential", "the credential named is not in the holder's vault"),
    UNKNOWN_REQUEST("unknown-request", "the request named is not pending"),
    UNKNOWN_GRANT("unknown-grant", "the grant named is not active"),
    NOT_OWNER("not-owner", "the record acts on something that belongs to someone else"),
    REPLAY("replay", "an id that was already used"),
    STALE("stale", "the record is older than the replay window"),
    FUTURE_DATED("future-dated", "the record is dated further ahead of the processors' clock than the allowed skew"),
    CREDENTIAL_ENDED("credential-ended", "the credential was revoked or erased and is never stored again"),
    NO_DELIVERY_TOPIC("no-delivery-topic", "the consumer's delivery topic does not exist"),
    NO_WRITE_GRANT("no-write-grant", "no write grant of the holder in force allows the issuer to write a credential "
            + "of this type");

    private final String code;
    private final String description;

    RejectReason(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}

package io.idstream.processors;

/** Names of the topology's sink nodes, which processors forward to by name. */
public final class Sinks {
    public static final String REJECTED = "rejected-sink";
    /** The directory processor's own sink to the rejected topic. */
    public static final String DIRECTORY_REJECTED = "directory-rejected-sink";
    public static final String DIRECTORY_VERIFIED = "directory-verified-sink";
    /** The issuers' and consumers' entries, which every task loads as a global store. */
    public static final String DIRECTORY_GLOBAL = "directory-global-sink";
    public static final String STORED = "credentials-stored-sink";
    public static final String DELIVERIES = "deliveries-sink";
    public static final String INBOX = "holder-inbox-sink";
    public static final String AUDIT = "audit-sink";
    /** Each issuer's own notice topic, chosen per record by its issuer id. */
    public static final String ISSUER_NOTICES = "issuer-notices-sink";

    private Sinks() {
    }
}

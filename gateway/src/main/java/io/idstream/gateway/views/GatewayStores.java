package io.idstream.gateway.views;

import io.idstream.processors.StoreNames;

/**
 * The gateway's state stores, by name. The names become changelog topics ({@code idstream-gateway-<name>-changelog})
 * and metric tags, so they are declared once, here. Every holder-scoped store is keyed {@code <holderId>/<item>}
 * ({@link io.idstream.topics.HolderKeys#of}) so that one holder's items are one prefix scan.
 */
public final class GatewayStores {
    /** Requests waiting for the holder's decision: {@code <holderId>/<requestId>} to PendingRequest. */
    public static final String INBOX = "gateway-inbox";
    /** Requests the audit shows answered before their inbox entry was read: {@code <holderId>/<requestId>}. */
    public static final String ANSWERED = "gateway-answered";
    /** The holder's vault: {@code <holderId>/<credentialId>} to StoredCredential. */
    public static final String CREDENTIALS = "gateway-credentials";
    /** Grants, verified terms and acceptance: {@code <holderId>/<grantId>} to {@link GrantProgress}. */
    public static final String GRANTS = "gateway-grants";
    /** The audit trail: {@code <holderId>/<offset, 19 digits>} to AccessAudit. */
    public static final String AUDIT = "gateway-audit";
    /** When each inbox entry, answered marker and unaccepted grant is due to go, keyed by that time first. */
    public static final String EXPIRY = "gateway-expiry";
    /** The verified directory, a global store, under the name the processors' directory loader writes. */
    public static final String DIRECTORY = StoreNames.DIRECTORY;

    private GatewayStores() {
    }
}

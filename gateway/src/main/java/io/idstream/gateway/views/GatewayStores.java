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
    /**
     * Requests the audit shows answered before their inbox entry was read: {@code <holderId>/<requestId>}; and
     * consent requests a write grant answered before they were read: {@code <holderId>/consent:<consentRequestId>}.
     */
    public static final String ANSWERED = "gateway-answered";
    /** The holder's vault: {@code <holderId>/<credentialId>} to StoredCredential. */
    public static final String CREDENTIALS = "gateway-credentials";
    /** Grants, verified terms and acceptance: {@code <holderId>/<grantId>} to {@link GrantProgress}. */
    public static final String GRANTS = "gateway-grants";
    /** The audit trail: {@code <holderId>/<offset, 19 digits>} to AccessAudit. */
    public static final String AUDIT = "gateway-audit";
    /** Write grants the holder signed, in force until revoked or expired: {@code <holderId>/<writeGrantId>}. */
    public static final String WRITE_GRANTS = "gateway-write-grants";
    /** Issuers' consent requests not yet answered: {@code <holderId>/<consentRequestId>} to ConsentRequest. */
    public static final String CONSENT_REQUESTS = "gateway-consent-requests";
    /** The latest sealed key backup of each holder: {@code <holderId>} to HolderBackup. */
    public static final String BACKUPS = "gateway-backups";
    /**
     * When each inbox entry, answered marker, unaccepted grant, write grant and consent request is due to go, keyed
     * by that time first.
     */
    public static final String EXPIRY = "gateway-expiry";
    /** The verified directory, a global store, under the name the processors' directory loader writes. */
    public static final String DIRECTORY = StoreNames.DIRECTORY;

    private GatewayStores() {
    }
}

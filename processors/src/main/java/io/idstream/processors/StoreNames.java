package io.idstream.processors;

import java.util.List;

/**
 * Every state store of the topology, by name: the names become changelog topics and metric tags, so they are
 * declared once, here, and the topology, the processors and the tests that query a store all use these constants.
 */
public final class StoreNames {
    /**
     * The verified entries of every issuer and consumer, loaded from {@code directory.global}, a global store every
     * task reads; no holder's. Not {@link #DIRECTORY}: Kafka Streams keeps a global store's local copy when its source
     * topic changes, and an earlier version's, loaded from {@code directory.verified}, holds every holder.
     */
    public static final String DIRECTORY_GLOBAL = "directory-global";
    /** The verified entries of every principal, holders' included, as the gateway loads them. */
    public static final String DIRECTORY = "directory";
    /**
     * The verified entries of the principals whose ids hash to the task's partition, which the directory processor
     * reads and writes as it verifies; the storage and access processors take the task's own holders from here.
     */
    public static final String DIRECTORY_STATE = "directory-state";
    /** Holders' stored credentials, written by the storage processor, read and erased by the access processor. */
    public static final String CREDENTIALS = "credentials";
    /** Holders' active grants with their uses. */
    public static final String GRANTS = "grants";
    /** Requests parked in holders' inboxes, waiting for a decision. */
    public static final String PENDING_REQUESTS = "pending-requests";
    /**
     * The parked requests again, keyed {@code <holderId>/<consumerId>/<requestId>}, so that one consumer's requests
     * waiting for one holder are a prefix range: counted against the pending limit, and answered by a new grant.
     */
    public static final String PENDING_BY_CONSUMER = "pending-by-consumer";
    /**
     * When each grant, parked request and used id is due to end, keyed by that time first, so that the expiry
     * punctuation reads only what is due.
     */
    public static final String EXPIRY_INDEX = "expiry-index";
    /** Request and grant ids already used, remembered for the replay window. */
    public static final String SEEN_IDS = "seen-ids";
    /**
     * Ids of the credentials their issuers revoked or their holders erased, with when, kept for ever: an issuer's
     * signed credential stays valid, so without them it could be sent again and stored afresh.
     */
    public static final String ENDED_CREDENTIALS = "ended-credentials";

    /**
     * Holders' write grants in force, keyed {@code <holderId>/<writeGrantId>}: which issuers may write which
     * credential types to the holder's vault, until when. Written by the access processor, read by the storage
     * processor.
     */
    public static final String WRITE_GRANTS = "write-grants";

    /**
     * The stores of the processors' tasks, each kept in a changelog {@code <applicationId>-<store>-changelog} with a
     * partition per task: what a new generation of the holder-keyed topics copies to its own changelogs.
     */
    public static final List<String> TASK_STORES = List.of(DIRECTORY_STATE, CREDENTIALS, GRANTS, PENDING_REQUESTS,
            PENDING_BY_CONSUMER, EXPIRY_INDEX, SEEN_IDS, ENDED_CREDENTIALS, WRITE_GRANTS);

    private StoreNames() {
    }
}

package io.idstream.it.processors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the story's clients submitted, per holder and in the order each submission was acknowledged (a holder's
 * requests come from one thread at a time, and so do her decisions, so that this order is hers), and the answers the
 * consumer should read on its delivery topic for each request, in order. Thread-safe.
 */
final class GrowthLedger {
    /** A request the consumer sent; its send began at {@code startedAtMillis}. */
    record SentRequest(String requestId, String holderId, long startedAtMillis) {
    }

    /** A credential the issuer sent; its send began at {@code startedAtMillis}. */
    record SentCredential(String credentialId, String holderId, long startedAtMillis) {
    }

    private final Map<String, List<String>> requestsByHolder = new LinkedHashMap<>();
    private final Map<String, List<String>> grantsByHolder = new LinkedHashMap<>();
    private final Map<String, List<String>> parkedByHolder = new LinkedHashMap<>();
    private final Map<String, List<String>> credentialsByHolder = new LinkedHashMap<>();
    private final Map<String, List<String>> expectedAnswers = new LinkedHashMap<>();
    private final List<SentRequest> requests = new ArrayList<>();
    private final List<SentCredential> credentials = new ArrayList<>();

    /**
     * The consumer's request to the holder, acknowledged by Kafka, and what the consumer should hear of it, in order:
     * {@code DELIVERED}, or {@code PENDING} first when it waits for the holder.
     */
    synchronized void requested(String holderId, String requestId, long startedAtMillis, String... answers) {
        requestsByHolder.computeIfAbsent(holderId, h -> new ArrayList<>()).add(requestId);
        requests.add(new SentRequest(requestId, holderId, startedAtMillis));
        expectedAnswers.put(requestId, new ArrayList<>(List.of(answers)));
        if (answers.length > 0 && answers[0].equals("PENDING")) {
            parkedByHolder.computeIfAbsent(holderId, h -> new ArrayList<>()).add(requestId);
        }
    }

    /** The holder's decision on a parked request: the consumer hears {@code answer} after its PENDING. */
    synchronized void decided(String requestId, String answer) {
        expectedAnswers.get(requestId).add(answer);
    }

    /** A grant the holder sent (standing, or approving a request), acknowledged by the gateway. */
    synchronized void granted(String holderId, String grantId) {
        grantsByHolder.computeIfAbsent(holderId, h -> new ArrayList<>()).add(grantId);
    }

    /** A credential the issuer sent for the holder, acknowledged by Kafka, which the processors store. */
    synchronized void issued(String holderId, String credentialId, long startedAtMillis) {
        credentialsByHolder.computeIfAbsent(holderId, h -> new ArrayList<>()).add(credentialId);
        credentials.add(new SentCredential(credentialId, holderId, startedAtMillis));
    }

    synchronized Map<String, List<String>> requestsByHolder() {
        return copy(requestsByHolder);
    }

    synchronized Map<String, List<String>> grantsByHolder() {
        return copy(grantsByHolder);
    }

    /** The requests that should have waited for the holder, by holder, in the order they were sent. */
    synchronized Map<String, List<String>> parkedByHolder() {
        return copy(parkedByHolder);
    }

    synchronized Map<String, List<String>> credentialsByHolder() {
        return copy(credentialsByHolder);
    }

    /** By request id, what the consumer should hear of it, in order. */
    synchronized Map<String, List<String>> expectedAnswers() {
        return copy(expectedAnswers);
    }

    synchronized List<SentRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized List<SentCredential> credentials() {
        return List.copyOf(credentials);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> byKey) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byKey.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        return copy;
    }
}

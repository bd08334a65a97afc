package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The benchmark's cast, with their keys: one issuer; the holders whose standing grants to every consumer answer the
 * load; the approvers, holders who approve one request each in the approval phase; the consumers. Every holder and
 * approver gets one KYC credential from the issuer when the cast is made, before anything is timed.
 */
final class Participants {
    /** The fields every request asks for and every grant gives. */
    static final List<String> FIELDS = List.of("age_over_18", "country");
    static final String CREDENTIAL_TYPE = "kyc";
    /** Every credential type the issuer writes, sorted: the holders' write grants name them all. */
    static final List<String> ISSUED_TYPES = List.of("address", "bank-account", CREDENTIAL_TYPE);

    final Participant issuer = new Participant("bench-issuer", "issuer");
    final List<Participant> holders;
    final List<Participant> approvers;
    final List<Participant> consumers;
    private final Map<String, Participant> holdersById = new HashMap<>();
    private final Map<String, Credentials.IssuedCredential> credentials = new ConcurrentHashMap<>();

    private Participants(BenchOptions options) {
        this.holders = cast(options.holders(), i -> new Participant(String.format("holder-%05d", i), "holder"));
        this.approvers = cast(options.approvals(), i -> new Participant(String.format("approver-%05d", i), "holder"));
        this.consumers = cast(options.consumers(), i -> new Participant(String.format("consumer-%02d", i),
                "consumer"));
        credentialHolders().forEach(holder -> holdersById.put(holder.id, holder));
    }

    /** The cast, each holder with a credential issued at {@code now}. */
    static Participants create(BenchOptions options, long now) {
        Participants participants = new Participants(options);
        participants.credentialHolders().parallelStream().forEach(holder -> participants.credentials.put(holder.id,
                participants.issue(holder, now)));
        return participants;
    }

    private static List<Participant> cast(int count, IntFunction<Participant> participant) {
        List<Participant> cast = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cast.add(participant.apply(i));
        }
        return cast;
    }

    private Credentials.IssuedCredential issue(Participant holder, long now) {
        return issue(holder, CREDENTIAL_TYPE, now);
    }

    /** A credential of {@code type} for the holder from the issuer, issued at {@code now}; not stored here. */
    Credentials.IssuedCredential issue(Participant holder, String type, long now) {
        var header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id, type, now, 0L);
        return Credentials.issue(issuer.signing, header, holder.encryption.publicKey(), Map.of("country", "DE",
                "age_over_18", "true", "kyc_level", "2", "full_name", "Holder " + holder.id, "sanctions_clear",
                "true"));
    }

    /** Issuer, holders, approvers and consumers, in that order. */
    List<Participant> everyone() {
        List<Participant> everyone = new ArrayList<>(List.of(issuer));
        everyone.addAll(credentialHolders());
        everyone.addAll(consumers);
        return everyone;
    }

    /** Holders and approvers: everyone with a credential. */
    List<Participant> credentialHolders() {
        List<Participant> credentialHolders = new ArrayList<>(holders);
        credentialHolders.addAll(approvers);
        return credentialHolders;
    }

    Participant holder(String id) {
        return holdersById.get(id);
    }

    Credentials.IssuedCredential credential(String holderId) {
        return credentials.get(holderId);
    }

    /** {@code n} requests spread over every consumer and every holder with standing grants, signed in parallel. */
    List<AccessRequest> requests(int n) {
        long now = System.currentTimeMillis();
        return IntStream.range(0, n).parallel().mapToObj(i -> consumers.get(i % consumers.size())
                .request(holders.get((i / consumers.size()) % holders.size()).id, CREDENTIAL_TYPE, FIELDS, now))
                .toList();
    }
}

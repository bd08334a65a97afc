package io.idstream.bench.pipeline;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Makes and signs a scale population, as its participants would, on every core: issuers and consumers with their
 * registrations, and holders chunk by chunk, each registered, consenting that one issuer (holder i: issuer i mod the
 * issuers) write to her, and holding {@code credentials} spread one per holder, then a second type, then a third.
 * Only public keys leave it: the holders' private keys are dropped once their chunk is signed.
 */
final class PopulationSigner implements PopulationSource {
    /** An issuer as the operator accredits it: its id and signing public key. */
    record IssuerKey(String id, byte[] signingKey) {
    }

    private final int holders;
    private final int credentials;
    private final long now;
    private final List<Participant> issuers;
    private final List<Participant> consumers;

    PopulationSigner(int holders, int consumers, int issuers, int credentials, long now) {
        this.holders = holders;
        this.credentials = credentials;
        this.now = now;
        this.issuers = IntStream.range(0, issuers).parallel().mapToObj(i -> new Participant(
                String.format("scale-issuer-%03d", i), "issuer")).toList();
        this.consumers = IntStream.range(0, consumers).parallel().mapToObj(i -> new Participant(
                String.format("scale-consumer-%04d", i), "consumer")).toList();
    }

    @Override
    public List<IssuerKey> issuerKeys() {
        return issuers.stream().map(i -> new IssuerKey(i.id, i.signing.publicKey())).toList();
    }

    @Override
    public List<Keyed<DirectoryEvent>> otherRegistrations() {
        List<Participant> others = new ArrayList<>(issuers);
        others.addAll(consumers);
        return others.parallelStream().map(p -> new Keyed<>(p.id, new DirectoryEvent(p.registration(now)))).toList();
    }

    /** Holders {@code from} (inclusive) to {@code to}, signed in parallel. */
    @Override
    public HolderChunk chunk(int from, int to) {
        long started = System.nanoTime();
        List<Keyed<DirectoryEvent>> registrations = new ArrayList<>();
        List<Keyed<DecisionEvent>> consents = new ArrayList<>();
        List<Keyed<IssuanceEvent>> issued = new ArrayList<>();
        IntStream.range(from, to).parallel().mapToObj(this::holder).toList().forEach(holder -> {
            registrations.add(holder.registration());
            consents.add(holder.consent());
            issued.addAll(holder.credentials());
        });
        return new HolderChunk(registrations, consents, issued, (System.nanoTime() - started) / 1e9);
    }

    private record HolderRecords(Keyed<DirectoryEvent> registration, Keyed<DecisionEvent> consent,
                                 List<Keyed<IssuanceEvent>> credentials) {
    }

    private HolderRecords holder(int i) {
        Participant holder = new Participant(String.format("scale-holder-%07d", i), "holder");
        Participant issuer = issuers.get(i % issuers.size());
        List<Keyed<IssuanceEvent>> issued = new ArrayList<>();
        for (int type = 0; type < Participants.ISSUED_TYPES.size() && type * (long) holders + i < credentials;
             type++) {
            var header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id,
                    Participants.ISSUED_TYPES.get(type), now, 0L);
            Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                    holder.encryption.publicKey(), Map.of("country", "DE", "age_over_18", "true", "kyc_level", "2",
                            "full_name", "Holder " + holder.id));
            issued.add(new Keyed<>(holder.id, new IssuanceEvent(CredentialRecords.toAvro(credential))));
        }
        return new HolderRecords(new Keyed<>(holder.id, new DirectoryEvent(holder.registration(now))),
                new Keyed<>(holder.id, new DecisionEvent(holder.writeGrantTo(issuer, Participants.ISSUED_TYPES,
                        now))), issued);
    }
}

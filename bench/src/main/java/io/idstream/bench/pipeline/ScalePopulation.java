package io.idstream.bench.pipeline;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The population the scale benchmark measures against, loaded before anything is timed: issuers (each accredited by
 * the operator), consumers (each gets its delivery topic), and holders, each registered, consenting that one issuer
 * write to her, and holding credentials from it. Holders go in chunks: the next chunk is generated and signed on
 * every core while the processors take the current one, whose registrations, then consents, then credentials are
 * sent in large lz4 batches, each step waiting until the processors accepted all of it.
 */
final class ScalePopulation {
    /** How many of each were loaded, and how long it took (seconds of wall clock, signing included). */
    record Figures(int holders, int consumers, int issuers, int credentials, long records, double seconds) {
        double recordsPerSec() {
            return seconds > 0 ? records / seconds : 0;
        }
    }

    private static final int CHUNK = 50_000;
    private static final int PRINCIPAL_CHUNK = 250;

    private final PlatformProcess platform;
    private final TopicCatalog catalog;
    private final SetUpPublisher publisher;
    private final LoadProducer producer;
    private final Consumer<String> progress;
    private final List<Participant> issuers = new ArrayList<>();
    private final List<Participant> consumers = new ArrayList<>();

    ScalePopulation(PlatformProcess platform, TopicCatalog catalog, Map<String, Object> readCommitted,
                    Consumer<String> progress) {
        this.platform = platform;
        this.catalog = catalog;
        this.producer = LoadProducer.bulk(platform.bootstrapServers);
        this.publisher = new SetUpPublisher(catalog, producer, readCommitted);
        this.progress = progress;
    }

    /** Loads the population; {@code credentials} are spread one per holder, then a second type, then a third. */
    Figures load(int holders, int consumerCount, int issuerCount, int credentials) throws Exception {
        long started = System.nanoTime();
        long now = System.currentTimeMillis();
        try (producer) {
            long records = registerOthers(consumerCount, issuerCount, now);
            if (holders > 0 && issuers.isEmpty()) {
                throw new IllegalArgumentException("holders need at least one issuer for their credentials");
            }
            CompletableFuture<HolderChunk> next = chunkAsync(0, holders, credentials, now);
            for (int from = 0; from < holders; from += CHUNK) {
                HolderChunk chunk = next.join();
                next = chunkAsync(from + CHUNK, holders, credentials, now);
                records += send(chunk);
                progress.accept(String.format("population: %d of %d holders loaded", Math.min(from + CHUNK,
                        holders), holders));
            }
            return new Figures(holders, consumerCount, issuerCount, Math.min(credentials,
                    holders * Participants.ISSUED_TYPES.size()), records, (System.nanoTime() - started) / 1e9);
        }
    }

    private long registerOthers(int consumerCount, int issuerCount, long now) throws IOException {
        issuers.addAll(IntStream.range(0, issuerCount).parallel().mapToObj(i -> new Participant(
                String.format("scale-issuer-%03d", i), "issuer")).toList());
        consumers.addAll(IntStream.range(0, consumerCount).parallel().mapToObj(i -> new Participant(
                String.format("scale-consumer-%04d", i), "consumer")).toList());
        List<Participant> others = new ArrayList<>(issuers);
        others.addAll(consumers);
        // Each consumer's registration creates its delivery topic: a few hundred at a time keeps every step short.
        for (int from = 0; from < others.size(); from += PRINCIPAL_CHUNK) {
            List<Keyed<DirectoryEvent>> registrations = others.subList(from, Math.min(others.size(),
                    from + PRINCIPAL_CHUNK)).parallelStream().map(p -> new Keyed<>(p.id,
                    new DirectoryEvent(p.registration(now)))).toList();
            publisher.publish(catalog.directory(), registrations, catalog.directoryVerified(),
                    (VerifiedPrincipal v) -> v.getAccreditation() == null);
            progress.accept(String.format("population: %d of %d issuers and consumers registered",
                    Math.min(others.size(), from + PRINCIPAL_CHUNK), others.size()));
        }
        SigningKeyPair operator = SigningKeyPair.fromPem(PrivateKeyFile.read(platform.dataDir.resolve("operator")
                .resolve("signing.pem")));
        List<Keyed<DirectoryEvent>> accreditations = issuers.stream().map(issuer -> new Keyed<>(issuer.id,
                new DirectoryEvent(issuer.accreditationBy(operator, now)))).toList();
        publisher.publish(catalog.directory(), accreditations, catalog.directoryVerified(),
                (VerifiedPrincipal v) -> v.getAccreditation() != null);
        return others.size() + accreditations.size();
    }

    /** One chunk of holders with every record they need, signed: registrations, consents, credentials. */
    private record HolderChunk(List<Keyed<DirectoryEvent>> registrations, List<Keyed<DecisionEvent>> consents,
                               List<Keyed<IssuanceEvent>> credentials, double signSeconds) {
    }

    /** A holder's three kinds of record. */
    private record HolderRecords(Keyed<DirectoryEvent> registration, Keyed<DecisionEvent> consent,
                                 List<Keyed<IssuanceEvent>> credentials) {
    }

    private CompletableFuture<HolderChunk> chunkAsync(int from, int holders, int credentials, long now) {
        if (from >= holders) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            List<HolderRecords> records = IntStream.range(from, Math.min(holders, from + CHUNK)).parallel()
                    .mapToObj(i -> holder(i, holders, credentials, now)).toList();
            return new HolderChunk(records.stream().map(HolderRecords::registration).toList(),
                    records.stream().map(HolderRecords::consent).toList(),
                    records.stream().flatMap(r -> r.credentials().stream()).toList(),
                    (System.nanoTime() - started) / 1e9);
        });
    }

    private HolderRecords holder(int i, int holders, int credentials, long now) {
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

    private long send(HolderChunk chunk) {
        long started = System.nanoTime();
        publisher.publish(catalog.directory(), chunk.registrations(), catalog.directoryVerified(),
                (VerifiedPrincipal v) -> v.getAccreditation() == null);
        long registered = System.nanoTime();
        List<Topic<String, IssuerNotice>> notices = issuers.stream().map(i -> catalog.issuerNotices(i.id)).toList();
        publisher.publish(catalog.accessDecisions(), chunk.consents(), notices,
                (IssuerNotice notice) -> notice.getKind() == IssuerNoticeKind.WRITE_GRANTED);
        long consented = System.nanoTime();
        publisher.publish(catalog.credentialsIssued(), chunk.credentials(), catalog.credentialsStored(),
                (StoredCredential stored) -> true);
        long stored = System.nanoTime();
        progress.accept(String.format("population: chunk signed in %.1f s; registrations %.1f s, consents %.1f s, "
                + "credentials %.1f s", chunk.signSeconds(), (registered - started) / 1e9,
                (consented - registered) / 1e9, (stored - consented) / 1e9));
        return chunk.registrations().size() + chunk.consents().size() + chunk.credentials().size();
    }
}

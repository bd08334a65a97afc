package io.idstream.bench.pipeline;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The population the scale benchmark measures against, loaded before anything is timed: issuers (each accredited by
 * the operator), consumers (each gets its delivery topic), and holders, each registered, consenting that one issuer
 * write to her, and holding credentials from it ({@link PopulationSigner}). Holders go in chunks: the next chunk is
 * signed, or read when it was signed before ({@link PresignedPopulation}), while the processors take the current
 * one, whose registrations, then consents, then credentials are sent in large lz4 batches, each step waiting until
 * the processors accepted all of it.
 */
final class ScalePopulation {
    /**
     * How many of each were loaded, and how long it took (seconds of wall clock, signing included unless the
     * population was presigned).
     */
    record Figures(int holders, int consumers, int issuers, int credentials, long records, double seconds) {
        double recordsPerSec() {
            return seconds > 0 ? records / seconds : 0;
        }
    }

    private static final int PRINCIPAL_CHUNK = 250;

    private final PlatformProcess platform;
    private final TopicCatalog catalog;
    private final SetUpPublisher publisher;
    private final LoadProducer producer;
    private final Consumer<String> progress;
    private final List<PopulationSigner.IssuerKey> issuers = new ArrayList<>();

    ScalePopulation(PlatformProcess platform, TopicCatalog catalog, Map<String, Object> readCommitted,
                    Consumer<String> progress) {
        this.platform = platform;
        this.catalog = catalog;
        this.producer = LoadProducer.bulk(platform.bootstrapServers);
        this.publisher = new SetUpPublisher(catalog, producer, readCommitted);
        this.progress = progress;
    }

    /**
     * Loads the population from {@code source}: issuers and consumers, then the holders, chunk by chunk, the next
     * chunk read or signed while the processors take this one. Stops before a chunk once {@code budgetSeconds} have
     * passed (0: no limit); the figures count what was loaded.
     */
    Figures load(PopulationSource source, int holders, int consumerCount, int issuerCount, int credentials,
                 long budgetSeconds) throws Exception {
        long started = System.nanoTime();
        try (producer) {
            long records = registerOthers(source);
            int loaded = 0;
            int loadedCredentials = 0;
            CompletableFuture<HolderChunk> next = chunkAsync(source, 0, holders);
            for (int from = 0; from < holders; from += PopulationSource.CHUNK) {
                if (budgetSeconds > 0 && System.nanoTime() - started > budgetSeconds * 1_000_000_000L) {
                    progress.accept(String.format("population: load budget of %d s spent; %d of %d holders loaded",
                            budgetSeconds, loaded, holders));
                    break;
                }
                HolderChunk chunk = next.join();
                next = chunkAsync(source, from + PopulationSource.CHUNK, holders);
                records += send(chunk);
                loaded += chunk.registrations().size();
                loadedCredentials += chunk.credentials().size();
                progress.accept(String.format("population: %d of %d holders loaded (%.0f s)", loaded, holders,
                        (System.nanoTime() - started) / 1e9));
            }
            return new Figures(loaded, consumerCount, issuerCount, loadedCredentials, records,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private long registerOthers(PopulationSource source) throws IOException {
        List<Keyed<DirectoryEvent>> others = source.otherRegistrations();
        // Each consumer's registration creates its delivery topic: a few hundred at a time keeps every step short.
        for (int from = 0; from < others.size(); from += PRINCIPAL_CHUNK) {
            publisher.publish(catalog.directory(), others.subList(from, Math.min(others.size(),
                    from + PRINCIPAL_CHUNK)), catalog.directoryVerified(),
                    (VerifiedPrincipal v) -> v.getAccreditation() == null);
            progress.accept(String.format("population: %d of %d issuers and consumers registered",
                    Math.min(others.size(), from + PRINCIPAL_CHUNK), others.size()));
        }
        SigningKeyPair operator = SigningKeyPair.fromPem(PrivateKeyFile.read(platform.dataDir.resolve("operator")
                .resolve("signing.pem")));
        long now = System.currentTimeMillis();
        issuers.addAll(source.issuerKeys());
        List<Keyed<DirectoryEvent>> accreditations = issuers.stream().map(issuer -> new Keyed<>(issuer.id(),
                new DirectoryEvent(PrincipalRecords.accreditation(operator, new AccreditationStatement(issuer.id(),
                        "issuer", issuer.signingKey(), now))))).toList();
        publisher.publish(catalog.directory(), accreditations, catalog.directoryVerified(),
                (VerifiedPrincipal v) -> v.getAccreditation() != null);
        return others.size() + accreditations.size();
    }

    private static CompletableFuture<HolderChunk> chunkAsync(PopulationSource source, int from, int holders) {
        if (from >= holders) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> source.chunk(from, Math.min(holders,
                from + PopulationSource.CHUNK)));
    }

    private long send(HolderChunk chunk) {
        long started = System.nanoTime();
        publisher.publish(catalog.directory(), chunk.registrations(), catalog.directoryVerified(),
                (VerifiedPrincipal v) -> v.getAccreditation() == null);
        long registered = System.nanoTime();
        List<Topic<String, IssuerNotice>> notices = issuers.stream().map(i -> catalog.issuerNotices(i.id()))
                .toList();
        publisher.publish(catalog.accessDecisions(), chunk.consents(), notices,
                (IssuerNotice notice) -> notice.getKind() == IssuerNoticeKind.WRITE_GRANTED);
        long consented = System.nanoTime();
        publisher.publish(catalog.credentialsIssued(), chunk.credentials(), catalog.credentialsStored(),
                (StoredCredential stored) -> true);
        long stored = System.nanoTime();
        progress.accept(String.format("population: chunk signed in %.1f s; registrations %.1f s, consents %.1f s, "
                + "credentials %.1f s", chunk.signSeconds(), (registered - started) / 1e9,
                (consented - registered) / 1e9, (stored - consented) / 1e9));
        return chunk.records();
    }
}

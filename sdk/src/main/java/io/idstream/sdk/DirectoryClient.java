package io.idstream.sdk;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.VerifiedPrincipal;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Looks principals up in the verified directory, the one the processors publish after checking every signature.
 * An entry found is remembered for {@link #CACHE_TTL}, since keys change rarely and a lookup reads a partition.
 */
public final class DirectoryClient implements PrincipalLookup {
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final KafkaGateway gateway;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(VerifiedPrincipal entry, long readAt) {
    }

    public DirectoryClient(KafkaGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Optional<VerifiedPrincipal> find(String id) {
        Cached cached = cache.get(id);
        if (cached != null && System.nanoTime() - cached.readAt() < CACHE_TTL.toNanos()) {
            return Optional.of(cached.entry());
        }
        return findFresh(id);
    }

    /** The principal's entry read now, not from the cache. */
    Optional<VerifiedPrincipal> fresh(String id) {
        return findFresh(id);
    }

    private Optional<VerifiedPrincipal> findFresh(String id) {
        List<ConsumerRecord<String, VerifiedPrincipal>> records = gateway.readPartitionOf(
                gateway.lastingTopics().directoryVerified(), id, id::equals);
        VerifiedPrincipal latest = records.isEmpty() ? null : records.get(records.size() - 1).value();
        if (latest == null) {
            cache.remove(id);
            return Optional.empty();
        }
        cache.put(id, new Cached(latest, System.nanoTime()));
        return Optional.of(latest);
    }

    /**
     * The principal, as soon as the directory shows it in a state that passes {@code ready}: the wait ends at the
     * first entry that passes, and the answer is the directory's latest entry, checked again.
     */
    public VerifiedPrincipal await(String id, Predicate<VerifiedPrincipal> ready, Duration timeout, String what) {
        gateway.awaitRecord(gateway.lastingTopics().directoryVerified(), id,
                record -> id.equals(record.key()) && record.value() != null && ready.test(record.value()), timeout,
                what + ": the directory does not show it", "see the rejected topic for why");
        return current(id, ready, what);
    }

    /**
     * Writes {@code event} about {@code id} to the raw directory and waits, as {@link #await} does, until the
     * directory shows {@code id} in a state that passes {@code ready}; if the processors refuse the event instead,
     * the wait ends at once with their reason ("{@code what} was refused (reason code): detail").
     */
    public VerifiedPrincipal submit(DirectoryEvent event, String id, Predicate<VerifiedPrincipal> ready,
                                    Duration timeout, String what) {
        gateway.sendAndAwaitAnswer(gateway.catalog().directory(), id, event, gateway.lastingTopics().directoryVerified(), id,
                record -> id.equals(record.key()) && record.value() != null && ready.test(record.value()), timeout,
                what);
        return current(id, ready, what);
    }

    /** The directory's latest entry for {@code id}, read again now, if it still passes {@code ready}. */
    private VerifiedPrincipal current(String id, Predicate<VerifiedPrincipal> ready, String what) {
        return findFresh(id).filter(ready).orElseThrow(() -> new IdstreamException(what
                + ": the directory has replaced the entry awaited"));
    }

    /** A principal registered in {@code role}, or a refusal naming what is wrong. */
    public VerifiedPrincipal require(String id, String role) {
        return require(find(id), id, role);
    }

    /**
     * As {@link #require(String, String)}, from the entry read now: for keys about to be sealed to or vouched for,
     * which must be the ones bound now, not ones a rotation replaced since the entry was cached.
     */
    VerifiedPrincipal requireFresh(String id, String role) {
        return require(fresh(id), id, role);
    }

    private static VerifiedPrincipal require(Optional<VerifiedPrincipal> entry, String id, String role) {
        VerifiedPrincipal principal = entry.orElseThrow(() -> new IdstreamException("'" + id
                + "' is not registered"));
        if (!principal.getPrincipal().getRole().equals(role)) {
            throw new IdstreamException("'" + id + "' is registered as " + principal.getPrincipal().getRole()
                    + ", not " + role);
        }
        return principal;
    }
}

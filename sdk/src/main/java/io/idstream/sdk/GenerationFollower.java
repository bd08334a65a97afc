package io.idstream.sdk;

import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps a client's topic catalogue on the generation of the holder-keyed topics in use ({@link TopicGeneration}), read
 * from {@code <prefix>.generation}. A partition growth closes the old generation's topics (every write to them is
 * refused as too large) before it copies them to the next generation and publishes it, so a client learns of a growth
 * either from that refusal or from the catalogue it re-reads every {@value #REFRESH_SECONDS} s (or every
 * {@value #REFRESH_CONFIG}); a writer then waits for the new generation and writes the same record to the same topic
 * of it (or, every {@link #RETRY_INTERVAL}, tries the closed topic again, which a growth that failed opens again), and
 * a reader switches to the new topic and reads it from its beginning, since the copy holds the old topic's history (docs/operations.md "Growing the partition
 * count"). Thread-safe.
 */
final class GenerationFollower {
    /**
     * How often, at most, the catalogue re-reads the generation: a running client sees a growth within this, or at its
     * next write to a closed topic.
     */
    static final String REFRESH_CONFIG = "idstream.client.generation.refresh.ms";
    static final int REFRESH_SECONDS = 10;
    /** How often a writer refused by a closed topic re-reads the generation while it waits for the next one. */
    static final Duration AWAIT_INTERVAL = Duration.ofMillis(250);
    /**
     * How often a writer waiting for the next generation tries the closed topic again: a growth that failed opens it
     * again without publishing a next generation, and the record then belongs there.
     */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);
    /**
     * How often a reader waiting on a holder-keyed topic checks whether the catalogue moved to a newer generation; the
     * catalogue itself re-reads the generation at most every refresh interval.
     */
    static final Duration READER_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(GenerationFollower.class);

    private final Map<String, Object> configs;
    private final Duration timeout;
    private final Supplier<TopicGeneration> reader;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private volatile TopicCatalog catalog;
    private final TopicCatalog lastingTopics;
    private volatile long readAt;
    private final Duration refresh;

    /**
     * Reads nothing yet: the generation is read at the first call that needs a topic, so that a client made while
     * Kafka is away still starts.
     *
     * @param configs the client's settings, from which the generation topic is read and each catalogue made
     */
    GenerationFollower(Map<String, Object> configs, Duration timeout) {
        this(configs, timeout, null);
    }

    /** @param reader reads the generation in use; null to read it from {@code <prefix>.generation} */
    GenerationFollower(Map<String, Object> configs, Duration timeout, Supplier<TopicGeneration> reader) {
        this.configs = Map.copyOf(configs);
        this.lastingTopics = TopicCatalog.create(configs);
        this.timeout = timeout;
        this.refresh = Duration.ofMillis(Long.parseLong(String.valueOf(configs.getOrDefault(REFRESH_CONFIG,
                REFRESH_SECONDS * 1000L))));
        this.reader = reader != null ? reader : this::readGeneration;
    }

    /**
     * The topics that keep their names in every generation (the verified directory, the rejected topic, delivery and
     * notice topics), named without reading the generation, so that a client that reads only those needs no access
     * to it. Its holder-keyed topics are generation 0's: take those from {@link #catalog()}.
     */
    TopicCatalog lastingTopics() {
        return lastingTopics;
    }

    /** The catalogue of the generation in use, re-read when the last read is older than the refresh interval. */
    TopicCatalog catalog() {
        return catalog(refresh);
    }

    /**
     * The catalogue of the generation in use, re-read when the last read is older than {@code maxAge}. The first read
     * must succeed, and every caller waits for it; after that one caller at a time re-reads, with no lock held, while
     * the others go on with the catalogue known: the generation topic's one partition being away must not stall every
     * thread of the client. A re-read that fails keeps the catalogue known, and is tried again when it is due.
     */
    TopicCatalog catalog(Duration maxAge) {
        TopicCatalog known = catalog;
        if (known == null) {
            synchronized (this) {
                if (catalog == null) {
                    catalog = TopicCatalog.create(TopicGenerations.withGeneration(configs, read()));
                    readAt = System.nanoTime();
                }
                return catalog;
            }
        }
        if (System.nanoTime() - readAt < maxAge.toNanos() || !refreshing.compareAndSet(false, true)) {
            return known;
        }
        try {
            TopicGeneration current = read();
            if (current.number() > known.generation().number()) {
                LOG.info("the holder-keyed topics moved: from={} to={}", known.generation(), current);
                catalog = TopicCatalog.create(TopicGenerations.withGeneration(configs, current));
            }
        } catch (IdstreamException e) {
            LOG.warn("cannot re-read the generation in use, keeping {}: {}", known.generation(), e.getMessage());
        } finally {
            readAt = System.nanoTime();
            refreshing.set(false);
        }
        return catalog;
    }

    /** How many times this client has read the generation topic. */
    long generationReads() {
        return reads.get();
    }

    private TopicGeneration read() {
        reads.incrementAndGet();
        return reader.get();
    }

    /**
     * Where {@code topic} is among the holder-keyed topics of its generation ({@link TopicCatalog#generationTopics}),
     * or empty for a topic that keeps its name across generations. A topic of an earlier generation than the current
     * one is found too, since a caller may hold a topic it took from the catalogue before a growth.
     */
    Optional<Integer> positionOf(Topic<String, ?> topic) {
        TopicCatalog current = catalog(refresh);
        for (int generation = current.generation().number(); generation >= 0; generation--) {
            TopicCatalog candidate = generation == current.generation().number() ? current
                    : TopicCatalog.create(TopicGenerations.withGeneration(configs,
                            new TopicGeneration(generation, current.generation().partitions())));
            List<String> names = candidate.generationTopics().stream().map(Topic::name).toList();
            int position = names.indexOf(topic.name());
            if (position >= 0) {
                return Optional.of(position);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code topic} itself, or its twin in the generation in use when a newer one replaced it; the catalogue is the
     * one {@link #catalog()} keeps, so a wait re-reads the generation at most every refresh interval.
     */
    <V> Topic<String, V> inUse(Topic<String, V> topic) {
        Optional<Integer> position = positionOf(topic);
        return position.isEmpty() ? topic : twin(catalog(), position.get());
    }

    /**
     * {@code write} of the record to {@code topic}; when a holder-keyed topic refuses it as too large (closed for a
     * partition growth), to its twin in the next generation once that is published, or to the same topic again if a
     * failed growth opened it again ({@link #awaitSuccessor}).
     *
     * @param write writes the record to the topic given, throwing the broker's {@link RecordTooLargeException} as is
     *              for a record under the topic's limit ({@link RecordLimits})
     */
    <V> RecordMetadata writeFollowing(Topic<String, V> topic, Function<Topic<String, V>, RecordMetadata> write) {
        Topic<String, V> target = topic;
        String refusedBy = null;
        long deadline = 0;
        while (true) {
            try {
                return write.apply(target);
            } catch (RecordTooLargeException e) {
                Optional<Integer> position = positionOf(target);
                if (position.isEmpty()) {
                    throw new IdstreamException("cannot write to " + target.name() + ": " + e.getMessage(), e);
                }
                if (!target.name().equals(refusedBy)) {
                    refusedBy = target.name();
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                target = awaitSuccessor(target, position.get(), e.getMessage(), deadline);
            }
        }
    }

    /**
     * Waits, re-reading the generation every {@link #AWAIT_INTERVAL}, for a generation that replaced the one of
     * {@code closed} (a holder-keyed topic whose write was refused as too large), and returns {@code closed}'s twin in
     * it; or returns {@code closed} itself after {@link #RETRY_INTERVAL}, for the caller to try it again.
     *
     * @throws IdstreamException when {@code deadline} passes first; the message names the topic, the growth and the
     *                           refusal
     */
    <V> Topic<String, V> awaitSuccessor(Topic<String, V> closed, int position, String refusal, long deadline) {
        long retryAt = System.nanoTime() + RETRY_INTERVAL.toNanos();
        while (true) {
            TopicCatalog current = catalog(Duration.ZERO);
            Topic<String, V> twin = twin(current, position);
            // The catalogue only moves forward, so another name is a newer generation's.
            if (!twin.name().equals(closed.name())) {
                LOG.info("writing to the next generation: closed={} topic={}", closed.name(), twin.name());
                return twin;
            }
            long now = System.nanoTime();
            if (deadline - now <= 0) {
                throw new IdstreamException("cannot write to " + closed.name() + ": the topic is closed for a "
                        + "partition growth and no newer generation appeared within " + timeout.toSeconds()
                        + " s (" + refusal + ")");
            }
            if (retryAt - now <= 0) {
                return closed;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(AWAIT_INTERVAL.toNanos(), Math.min(deadline, retryAt) - now)
                        / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IdstreamException("interrupted while waiting for a newer generation of "
                        + closed.name(), e);
            }
        }
    }

    /** A wait's poll time: the time left, but no more than {@link #READER_CHECK_INTERVAL}. */
    static Duration pollTime(long remainingNanos) {
        return Duration.ofNanos(Math.min(remainingNanos, READER_CHECK_INTERVAL.toNanos()));
    }

    @SuppressWarnings("unchecked")
    private static <V> Topic<String, V> twin(TopicCatalog catalog, int position) {
        // The same place in the list of the same catalogue type: the same value type.
        return (Topic<String, V>) catalog.generationTopics().get(position);
    }

    private TopicGeneration readGeneration() {
        try {
            return TopicGenerations.current(configs, timeout);
        } catch (KafkaException e) {
            // The hint only where the broker refused: a timeout or a failed login has other causes.
            String hint = e instanceof AuthorizationException ? " (a participant needs READ and DESCRIBE on it)" : "";
            throw new IdstreamException("cannot read the generation of the topics in use from "
                    + TopicCatalog.create(configs).generations().name() + hint + ": " + e.getMessage(), e);
        }
    }
}

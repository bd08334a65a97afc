package io.idstream.sdk;

import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A reader of one holder's partition of an issuer's notice topic, {@code idstream.notices.<issuerId>} (keyed by
 * holder id), assigned without a consumer group, so the issuer needs no group of its own to read it. Positioned when
 * opened, before the caller sends what it waits to hear about, so that no notice written in between is missed. Not
 * thread-safe; one per wait.
 */
final class IssuerNotices implements AutoCloseable {
    private static final Duration MAX_POLL = Duration.ofMillis(500);

    private final KafkaGateway gateway;
    private final Topic<String, IssuerNotice> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;

    private IssuerNotices(KafkaGateway gateway, String issuerId, String holderId, boolean fromEnd) {
        this.gateway = gateway;
        this.topic = gateway.lastingTopics().issuerNotices(issuerId);
        Map<String, Object> configs = gateway.kafkaOnly(ConsumerConfig.configNames());
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(configs, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), gateway.timeout());
            if (partitions == null || partitions.isEmpty()) {
                throw new IdstreamException("the notice topic " + topic.name() + " does not exist (the processors "
                        + "make it when they accept the issuer's registration)");
            }
            partition = new TopicPartition(topic.name(), HolderKeys.partitionOf(holderId, partitions.size()));
            consumer.assign(List.of(partition));
            if (fromEnd) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            // Resolves the position now, not at the first poll, which may come after the notice is written.
            consumer.position(partition, gateway.timeout());
        } catch (KafkaException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw new IdstreamException("cannot read " + topic.name() + ": " + e.getMessage(), e);
        } catch (IdstreamException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /** The notices about {@code holderId} written from now on. */
    static IssuerNotices fromEnd(KafkaGateway gateway, String issuerId, String holderId) {
        return new IssuerNotices(gateway, issuerId, holderId, true);
    }

    /** The notices about {@code holderId} the topic still holds, and those written from now on. */
    static IssuerNotices fromStart(KafkaGateway gateway, String issuerId, String holderId) {
        return new IssuerNotices(gateway, issuerId, holderId, false);
    }

    /** The first notice about {@code holderId} that passes {@code wanted}, within {@code timeout}. */
    Optional<IssuerNotice> await(String holderId, Predicate<IssuerNotice> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long remaining = timeout.toNanos(); remaining > 0; remaining = deadline - System.nanoTime()) {
            Optional<IssuerNotice> found = poll(holderId, remaining).stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The oldest write grant about {@code holderId} that passes {@code wanted} and is in force once the reader has
     * caught up with the topic's end: one ended by a later WRITE_GRANT_ENDED, or expired, does not count.
     */
    Optional<IssuerNotice> awaitWriteGrant(String holderId, Predicate<IssuerNotice> wanted, Duration timeout) {
        Map<String, IssuerNotice> inForce = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            long end = consumer.endOffsets(List.of(partition), gateway.timeout()).get(partition);
            for (long remaining = timeout.toNanos(); remaining > 0; remaining = deadline - System.nanoTime()) {
                for (IssuerNotice notice : poll(holderId, remaining)) {
                    if (notice.getKind() == IssuerNoticeKind.WRITE_GRANTED && wanted.test(notice)) {
                        inForce.put(notice.getWriteGrantId(), notice);
                    } else if (notice.getKind() == IssuerNoticeKind.WRITE_GRANT_ENDED) {
                        inForce.remove(notice.getWriteGrantId());
                    }
                }
                inForce.values().removeIf(notice -> notice.getExpiresAt() <= System.currentTimeMillis());
                if (consumer.position(partition, gateway.timeout()) >= end && !inForce.isEmpty()) {
                    return Optional.of(inForce.values().iterator().next());
                }
            }
        } catch (KafkaException e) {
            throw new IdstreamException("cannot read " + topic.name() + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** The notices about {@code holderId} of one poll, waiting at most {@code remainingNanos} (half a second). */
    private List<IssuerNotice> poll(String holderId, long remainingNanos) {
        List<IssuerNotice> notices = new ArrayList<>();
        try {
            for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofNanos(Math.min(remainingNanos,
                    MAX_POLL.toNanos())))) {
                if (holderId.equals(raw.key())) {
                    gateway.decode(topic, raw).map(ConsumerRecord::value).ifPresent(notices::add);
                }
            }
        } catch (KafkaException e) {
            throw new IdstreamException("cannot read " + topic.name() + ": " + e.getMessage(), e);
        }
        return notices;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}

package io.idstream.sdk;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A consumer's client: signs requests for a holder's fields, and reads its delivery topic, verifying each delivery
 * with nothing but the issuer's and holder's keys from the directory and its own key (docs/protocol.md section 8).
 */
public final class ConsumerClient extends PrincipalClient {
    private final DeliveryVerifier verifier;

    public ConsumerClient(Identity identity, Properties properties) {
        super(identity, properties);
        this.verifier = new DeliveryVerifier(identity.encryption());
    }

    /** Asks the holder for fields of its newest credential of the type; returns the request id. */
    public String request(String holderId, String credentialType, List<String> fields, String purpose) {
        return send(holderId, credentialType, "", fields, purpose);
    }

    /** Asks the holder for fields of one named credential; returns the request id. */
    public String requestCredential(String holderId, String credentialId, List<String> fields, String purpose) {
        return send(holderId, "", credentialId, fields, purpose);
    }

    private String send(String holderId, String type, String credentialId, List<String> fields, String purpose) {
        directory.require(holderId, "holder");
        AccessRequest request;
        String requestId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try {
            request = RequestRecords.signed(identity.signing(), new RequestStatement(requestId, identity.id(),
                    holderId, type, credentialId, purpose, now, Encoding.sorted(fields)));
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
        gateway.send(gateway.catalog().accessRequests(), holderId, request);
        return requestId;
    }

    /**
     * Opens the delivery topic as a member of {@code groupId} (committed offsets, so a restart resumes), reading
     * from the start the first time. On a secure cluster a consumer may only use groups named
     * {@code <consumerId>.<anything>}.
     */
    public Subscription subscribe(String groupId) {
        return new Subscription(groupId);
    }

    /** Verifies one delivery event as this consumer, with the issuer's and holder's keys from the directory. */
    public DeliveryOutcome verify(DeliveryEvent event) {
        return verify(verifier, directory, event);
    }

    /**
     * One delivery event verified with the signing keys {@code principals} hold for the issuer and the holder it
     * names. A notice is passed on as it came; a delivery naming a principal they do not hold is refused as
     * {@code STRUCTURE}, since there is no key to check it with.
     */
    static DeliveryOutcome verify(DeliveryVerifier verifier, PrincipalLookup principals, DeliveryEvent event) {
        if (event.getEvent() instanceof ConsumerNotice notice) {
            return notice(notice);
        }
        CredentialDelivery d = (CredentialDelivery) event.getEvent();
        Optional<VerifiedPrincipal> issuer = principals.find(d.getIssuerId());
        if (issuer.isEmpty()) {
            return unknown(d, "issuer", d.getIssuerId());
        }
        Optional<VerifiedPrincipal> holder = principals.find(d.getHolderId());
        if (holder.isEmpty()) {
            return unknown(d, "holder", d.getHolderId());
        }
        return verify(verifier, d, PrincipalRecords.signingKey(issuer.get().getPrincipal()),
                PrincipalRecords.signingKey(holder.get().getPrincipal()));
    }

    private static DeliveryOutcome unknown(CredentialDelivery d, String role, String id) {
        return new DeliveryOutcome.Refused(d.getRequestId(), DeliveryVerification.Check.STRUCTURE,
                role + " '" + id + "' is not in the directory");
    }

    static DeliveryOutcome notice(ConsumerNotice notice) {
        return new DeliveryOutcome.Notice(notice.getRequestId(), notice.getKind(), notice.getHolderId(),
                notice.getGrantId(), notice.getCredentialId(), notice.getReason());
    }

    /** A delivery record verified, through the one mapping, with the issuer's and holder's signing keys. */
    static DeliveryOutcome verify(DeliveryVerifier verifier, CredentialDelivery d, byte[] issuerSigningKey,
                                  byte[] holderSigningKey) {
        DeliveryVerification result = verifier.verify(DeliveryRecords.toDelivery(d), issuerSigningKey,
                holderSigningKey);
        if (result instanceof DeliveryVerification.Verified verified) {
            return new DeliveryOutcome.Delivered(d.getRequestId(), d.getHolderId(), d.getIssuerId(),
                    d.getCredentialId(), d.getGrant().getGrantId(), verified.values());
        }
        DeliveryVerification.Rejected rejected = (DeliveryVerification.Rejected) result;
        return new DeliveryOutcome.Refused(d.getRequestId(), rejected.failedCheck(), rejected.reason());
    }

    /** The consumer's delivery topic, read as a member of a consumer group. Not thread-safe; one per thread. */
    public final class Subscription implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Topic<String, DeliveryEvent> topic;
        private final String topicName;

        private Subscription(String groupId) {
            Map<String, Object> configs = gateway.kafkaOnly(ConsumerConfig.configNames());
            configs.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            topic = gateway.catalog().deliveries(identity.id());
            topicName = topic.name();
            // Values are decoded one by one, so that one that does not decode is refused alone (see poll).
            consumer = new KafkaConsumer<>(configs, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                // A subscription polls quietly forever when Kafka is unreachable or refuses the topic: ask once,
                // so that such a failure is reported now, not as an empty stream.
                consumer.partitionsFor(topicName, gateway.timeout());
                consumer.subscribe(List.of(topicName));
            } catch (KafkaException e) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
                throw new IdstreamException("cannot read " + topicName + ": " + e.getMessage(), e);
            }
        }

        /**
         * The outcomes of the records that arrive within {@code timeout}. A record that does not decode is refused
         * (check {@code STRUCTURE}, no request id) with a reason that names its position, reported once, and read
         * past, so that the next delivery still arrives (docs/protocol.md section 9).
         */
        public List<DeliveryOutcome> poll(Duration timeout) {
            List<DeliveryOutcome> outcomes = new ArrayList<>();
            ConsumerRecords<String, byte[]> batch;
            try {
                batch = consumer.poll(timeout);
            } catch (KafkaException e) {
                throw new IdstreamException("cannot read " + topicName + ": " + e.getMessage(), e);
            }
            try {
                for (ConsumerRecord<String, byte[]> raw : batch) {
                    if (raw.value() == null) {
                        SkippedRecord empty = new SkippedRecord(raw.topic(), raw.partition(), raw.offset(),
                                "is empty");
                        gateway.skip(empty);
                        outcomes.add(undecodable(empty));
                        continue;
                    }
                    gateway.decode(topic, raw, skipped -> outcomes.add(undecodable(skipped)))
                            .ifPresent(record -> outcomes.add(verify(record.value())));
                }
            } catch (RuntimeException e) {
                // The consumer's position is already past the whole batch, and the group commits positions: go back
                // to its start, so that none of it counts as read when its outcomes never reached the caller (a
                // registry or directory that cannot be reached fails the read, the next poll reads it again).
                for (TopicPartition partition : batch.partitions()) {
                    consumer.seek(partition, batch.records(partition).get(0).offset());
                }
                if (e instanceof KafkaException) {
                    throw new IdstreamException("cannot read " + topicName + ": " + e.getMessage(), e);
                }
                throw e;
            }
            return outcomes;
        }

        private static DeliveryOutcome undecodable(SkippedRecord skipped) {
            return new DeliveryOutcome.Refused("", DeliveryVerification.Check.STRUCTURE, "the record at "
                    + skipped.position() + " " + skipped.reason() + "; skipped");
        }

        /** Polls until an outcome for the request arrives that passes {@code wanted}, or the time is up. */
        public Optional<DeliveryOutcome> await(String requestId, Predicate<DeliveryOutcome> wanted, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (DeliveryOutcome outcome : poll(Duration.ofMillis(200))) {
                    if (outcome.requestId().equals(requestId) && wanted.test(outcome)) {
                        return Optional.of(outcome);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}

package io.idstream.sdk;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DeliveryEvent;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Statements.RequestStatement;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A consumer's client: signs requests for a holder's fields, and reads its delivery topic, verifying each delivery
 * with nothing but the issuer's and holder's keys from the directory, the operator keys it pins and its own key, and
 * accepting it only as the answer to a request it sent, answering what that request asked, and not answered yet
 * (docs/protocol.md section 8).
 */
public final class ConsumerClient extends PrincipalClient {
    /** The checks a key the directory bound since this client cached the entry would fail. */
    private static final Set<DeliveryVerification.Check> MAY_BE_A_STALE_KEY = EnumSet.of(
            DeliveryVerification.Check.ISSUER_SIGNATURE, DeliveryVerification.Check.HOLDER_SIGNATURE,
            DeliveryVerification.Check.ISSUER_ACCREDITATION, DeliveryVerification.Check.NOTICE_STATEMENT);

    /**
     * The operator public keys whose accreditations of issuers this consumer trusts, comma-separated, 64 hex digits
     * each, as the processors' setting of the same name takes them; without one, every delivery is refused.
     */
    public static final String OPERATOR_KEYS_CONFIG = "idstream.operator.keys";
    /**
     * A directory where the client keeps the ids of the requests it sent and of those answered, in
     * {@code <dir>/<consumerId>/requests}, so that a restart, or another process of the same consumer, knows them;
     * without it they are kept for as long as the client runs.
     */
    public static final String STATE_DIR_CONFIG = "idstream.consumer.state.dir";

    /** Opens deliveries with this consumer's encryption key: the new one once a key rotation has bound it. */
    private volatile DeliveryVerifier verifier;
    private final ConsumerTrust trust;
    private final RequestLedger requests;

    public ConsumerClient(Identity identity, Properties properties) {
        super(identity, properties);
        this.verifier = new DeliveryVerifier(identity.encryption());
        this.trust = new ConsumerTrust(ConsumerTrust.operatorKeys(properties));
        Object stateDir = properties.get(STATE_DIR_CONFIG);
        this.requests = stateDir == null ? RequestLedger.inMemory(identity.id())
                : RequestLedger.in(Path.of(String.valueOf(stateDir)), identity.id());
    }

    /**
     * From now on deliveries are opened with the new encryption key alone: the processors end the grants sealed to
     * the old one (a KEY_CHANGED notice), and the holder grants again to the new one.
     */
    @Override
    protected void keysChanged() {
        verifier = new DeliveryVerifier(identity.encryption());
    }

    /** Asks the holder for fields of its newest credential of the type; returns the request id. */
    public String request(String holderId, String credentialType, List<String> fields, String purpose) {
        return send(holderId, credentialType, "", fields, purpose);
    }

    /** Asks the holder for fields of one named credential; returns the request id. */
    public String requestCredential(String holderId, String credentialId, List<String> fields, String purpose) {
        return send(holderId, "", credentialId, fields, purpose);
    }

    /**
     * Accepts an answer to {@code requestId}, a request of this consumer's that this client did not send (signed by
     * another program of the consumer's, with the consumer's key), asking {@code holderId} for {@code fields} of a
     * credential of {@code credentialType} for {@code purpose}: a delivery for a request the client does not know of,
     * or that answers it with another holder, purpose, type or field, is refused as {@code UNSOLICITED}.
     */
    public void expect(String requestId, String holderId, String credentialType, List<String> fields, String purpose) {
        requests.sent(requestId, new RequestLedger.Request(holderId, credentialType, "", purpose, Set.copyOf(fields)));
    }

    /**
     * Accepts an answer to {@code requestId} from any holder, for any purpose and fields, as long as it is addressed
     * to this consumer: for a program that learns only the id of a request another program sent (a load generator
     * replaying a recorded stream). It gives up the checks that a delivery answers what was asked, so a writer of the
     * delivery topic may pass another genuine delivery to this consumer off as the answer: prefer
     * {@link #expect(String, String, String, List, String)}.
     */
    public void expect(String requestId) {
        requests.sent(requestId, RequestLedger.Request.ANY);
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
        // Remembered before it is sent, so that an answer read at once by another thread is not unsolicited.
        requests.sent(requestId, new RequestLedger.Request(holderId, type, credentialId, purpose, Set.copyOf(fields)));
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

    /**
     * Verifies one delivery event as this consumer, with the issuer's and holder's keys from the directory, the
     * pinned operator keys and this client's clock; a delivery that passes every check counts as its request's
     * answer, so the same delivery verified again is refused as {@code REPEATED}.
     */
    public DeliveryOutcome verify(DeliveryEvent event) {
        return verify(event, "");
    }

    /**
     * As {@link #verify(DeliveryEvent)}, for the record read at {@code position} of the delivery topic,
     * {@code <topic>/<partition>/<offset>}: the same record verified again (a webhook retry) is the same answer, not
     * a repeat; another record answering the same request is {@code REPEATED}.
     */
    public DeliveryOutcome verify(DeliveryEvent event, String position) {
        Map<String, String> answered = new HashMap<>();
        DeliveryOutcome outcome = requests.admit(judge(event), RequestLedger.Answer.of(event), position, answered);
        requests.answered(answered);
        return outcome;
    }

    /**
     * The trust checks of one event, under the directory entries this client has cached, and once more under entries
     * read now when a signature or an accreditation did not verify: a holder or issuer that rotated its keys signs
     * with a key the cached entry does not know yet.
     */
    private DeliveryOutcome judge(DeliveryEvent event) {
        long now = System.currentTimeMillis();
        DeliveryOutcome outcome = trust.verify(verifier, directory, event, now);
        if (outcome instanceof DeliveryOutcome.Refused refused && MAY_BE_A_STALE_KEY.contains(refused.failedCheck())) {
            return trust.verify(verifier, directory::fresh, event, now);
        }
        return outcome;
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
            topic = gateway.lastingTopics().deliveries(identity.id());
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
            // Requests answered in this batch, recorded only once the whole batch was read: a batch read again
            // after a failure must not find its own deliveries repeated.
            Map<String, String> answered = new HashMap<>();
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
                            .ifPresent(record -> outcomes.add(requests.admit(judge(record.value()),
                                    RequestLedger.Answer.of(record.value()),
                                    raw.topic() + "/"
                                    + raw.partition() + "/" + raw.offset(), answered)));
                }
            } catch (RuntimeException e) {
                requests.release(answered);
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
            requests.answered(answered);
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

package io.idstream.sdk;

import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.nio.charset.StandardCharsets;

/**
 * Tells a record too large for its topic from a topic closed for a partition growth: both are refused with
 * {@link RecordTooLargeException}, but only a record under the topic's limit is worth waiting for the next generation
 * with; a larger one would be refused there too. The limit is the one the catalogue gives the topic
 * ({@link TopicCatalog#REQUESTS_MAX_MESSAGE_BYTES} for the requests topic), or the broker's default for a topic that
 * sets none.
 */
final class RecordLimits {
    /** What a batch adds to a record's key and value: the batch header (61 bytes) and the record's own header. */
    static final int BATCH_OVERHEAD = 100;
    /** The broker's max.message.bytes where a topic sets none. */
    static final int BROKER_MAX_MESSAGE_BYTES = 1024 * 1024;

    private RecordLimits() {
    }

    /** The largest batch {@code topic} takes, as its catalogue entry configures it. */
    static int limitOf(Topic<?, ?> topic) {
        String configured = topic.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return configured == null ? BROKER_MAX_MESSAGE_BYTES : Integer.parseInt(configured);
    }

    /**
     * What to throw for {@code refused}, the broker's refusal of this record as too large: {@code refused} itself when
     * the record is under the topic's limit (the topic is closed), else an {@link IdstreamException} naming the
     * record's size and the limit, so that the caller fails at once.
     */
    static RuntimeException refusal(Topic<?, ?> topic, String key, byte[] value, RecordTooLargeException refused) {
        int size = (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length)
                + (value == null ? 0 : value.length) + BATCH_OVERHEAD;
        int limit = limitOf(topic);
        if (size <= limit) {
            return refused;
        }
        return new IdstreamException("cannot write to " + topic.name() + ": the record is " + size
                + " bytes with its batch overhead, over the topic's limit of " + limit + " bytes (max.message.bytes)",
                refused);
    }
}

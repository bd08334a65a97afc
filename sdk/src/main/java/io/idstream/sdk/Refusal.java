package io.idstream.sdk;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The processors' refusal of one input record, as the headers of its copy on the rejected topic tell it
 * (docs/protocol.md section 13): the reason code, the detail in words, and where the refused record was written.
 */
record Refusal(String reason, String detail, String sourceTopic, int sourcePartition, long sourceOffset) {
    static final String REASON_HEADER = "idstream.reason";
    static final String DETAIL_HEADER = "idstream.reason.detail";
    static final String SOURCE_TOPIC_HEADER = "idstream.source.topic";
    static final String SOURCE_PARTITION_HEADER = "idstream.source.partition";
    static final String SOURCE_OFFSET_HEADER = "idstream.source.offset";

    /** The refusal the headers describe, or empty when they lack a reason or do not say which record was refused. */
    static Optional<Refusal> of(Headers headers) {
        String reason = text(headers, REASON_HEADER);
        String topic = text(headers, SOURCE_TOPIC_HEADER);
        if (reason == null || topic == null) {
            return Optional.empty();
        }
        try {
            // A missing partition or offset is null, which parses no better than a malformed one.
            int partition = Integer.parseInt(text(headers, SOURCE_PARTITION_HEADER));
            long offset = Long.parseLong(text(headers, SOURCE_OFFSET_HEADER));
            String detail = text(headers, DETAIL_HEADER);
            return Optional.of(new Refusal(reason, detail == null ? "" : detail, topic, partition, offset));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this refuses the record written at {@code written}. */
    boolean refuses(RecordMetadata written) {
        return sourceTopic.equals(written.topic()) && sourcePartition == written.partition()
                && sourceOffset == written.offset();
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

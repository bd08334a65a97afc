package io.idstream.sdk;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How a client tells, from a rejected record's headers (docs/protocol.md section 13), which write was refused. */
class RefusalTest {
    static final String DIRECTORY = "idstream.directory";

    @Test
    void aRefusalNamesTheWriteAtItsSourceTopicPartitionAndOffsetAndNoOther() {
        Refusal refusal = Refusal.of(refusalOf(new RecordHeaders(), DIRECTORY, 2, 41)).orElseThrow();

        assertThat(refusal.reason()).isEqualTo("not-accredited");
        assertThat(refusal.detail()).isEqualTo("signed by an operator key the processors do not trust");
        assertThat(refusal.refuses(written(DIRECTORY, 2, 41))).as("the write refused").isTrue();
        assertThat(refusal.refuses(written(DIRECTORY, 2, 42))).as("the next write").isFalse();
        assertThat(refusal.refuses(written(DIRECTORY, 1, 41))).as("another partition").isFalse();
        assertThat(refusal.refuses(written("idstream.access.requests", 2, 41))).as("another topic").isFalse();
    }

    @Test
    void theProcessorsHeadersOutrankThoseTheWriterPutOnItsRecord() {
        // The rejected copy keeps the input's headers and adds the processors' after them.
        Headers forged = new RecordHeaders();
        forged.add(Refusal.SOURCE_OFFSET_HEADER, utf8("7"));

        Refusal refusal = Refusal.of(refusalOf(forged, DIRECTORY, 0, 8)).orElseThrow();

        assertThat(refusal.refuses(written(DIRECTORY, 0, 8))).as("the offset the processors read").isTrue();
        assertThat(refusal.refuses(written(DIRECTORY, 0, 7))).as("the offset the writer claimed").isFalse();
    }

    @Test
    void headersThatDoNotSayWhatWasRefusedOrWhereAreNoRefusal() {
        assertThat(Refusal.of(refusalWithout(Refusal.REASON_HEADER))).as("no reason").isEmpty();
        assertThat(Refusal.of(refusalWithout(Refusal.REASON_HEADER).add(Refusal.REASON_HEADER, null)))
                .as("a reason header without a value").isEmpty();
        assertThat(Refusal.of(refusalWithout(Refusal.SOURCE_TOPIC_HEADER))).as("no source topic").isEmpty();
        assertThat(Refusal.of(refusalWithout(Refusal.SOURCE_PARTITION_HEADER))).as("no source partition").isEmpty();
        assertThat(Refusal.of(refusalWithout(Refusal.SOURCE_OFFSET_HEADER))).as("no source offset").isEmpty();
        assertThat(Refusal.of(refusalOf(new RecordHeaders(), DIRECTORY, 0, 8)
                .add(Refusal.SOURCE_OFFSET_HEADER, utf8("eight")))).as("an offset that is no number").isEmpty();
    }

    @Test
    void aRefusalWithoutADetailStillNamesItsReason() {
        Refusal refusal = Refusal.of(refusalWithout(Refusal.DETAIL_HEADER)).orElseThrow();

        assertThat(refusal.reason()).isEqualTo("not-accredited");
        assertThat(refusal.detail()).isEmpty();
    }

    private static Headers refusalWithout(String header) {
        return refusalOf(new RecordHeaders(), DIRECTORY, 0, 8).remove(header);
    }

    private static Headers refusalOf(Headers input, String topic, int partition, long offset) {
        return input.add(Refusal.REASON_HEADER, utf8("not-accredited"))
                .add(Refusal.DETAIL_HEADER, utf8("signed by an operator key the processors do not trust"))
                .add(Refusal.SOURCE_TOPIC_HEADER, utf8(topic))
                .add(Refusal.SOURCE_PARTITION_HEADER, utf8(Integer.toString(partition)))
                .add(Refusal.SOURCE_OFFSET_HEADER, utf8(Long.toString(offset)));
    }

    private static RecordMetadata written(String topic, int partition, long offset) {
        return new RecordMetadata(new TopicPartition(topic, partition), offset, 0, 0L, 0, 0);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.idstream.sdk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records a client read past, each remembered by its position so that it is reported once however often a read
 * of its partition meets it again; the last {@value KafkaGateway#SKIPPED_REMEMBERED} are kept, oldest first.
 * Thread-safe.
 */
final class SkippedRecords {
    /** The client's logger, where these warnings have always been. */
    private static final Logger LOG = LoggerFactory.getLogger(KafkaGateway.class);
    /** The positions of the records reported, oldest first, with the reports made: one per position. */
    private final Map<String, SkippedRecord> byPosition = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SkippedRecord> eldest) {
            return size() > KafkaGateway.SKIPPED_REMEMBERED;
        }
    };
    private final List<SkippedRecord> reports = new ArrayList<>();

    /** Reports {@code record} with a warning naming its position and the reason, unless it was reported already. */
    void report(SkippedRecord record) {
        String position = record.topic() + "-" + record.partition() + "@" + record.offset();
        synchronized (this) {
            if (byPosition.containsKey(position)) {
                return;
            }
            byPosition.put(position, record);
            if (reports.size() == KafkaGateway.SKIPPED_REMEMBERED) {
                reports.remove(0);
            }
            reports.add(record);
        }
        LOG.warn("skipped a record: topic={} partition={} offset={} reason={}", record.topic(), record.partition(),
                record.offset(), record.reason());
    }

    synchronized List<SkippedRecord> reports() {
        return List.copyOf(reports);
    }
}

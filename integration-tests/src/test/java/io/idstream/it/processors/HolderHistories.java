package io.idstream.it.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.HolderNotice;
import io.idstream.avro.HolderNoticeKind;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One holder's events as the topics hold them, in topic order: a holder's records all sit in one partition of a
 * topic, so her order on it is the order in which the processors wrote them, whatever partition and generation.
 */
final class HolderHistories {
    private HolderHistories() {
    }

    /** By request id, what the consumer heard of it in order: DELIVERED, or the notice's kind. */
    static Map<String, List<String>> answersByRequest(List<DeliveryEvent> events) {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        for (DeliveryEvent event : events) {
            if (event.getEvent() instanceof CredentialDelivery delivery) {
                answers.computeIfAbsent(delivery.getRequestId(), id -> new ArrayList<>()).add("DELIVERED");
            } else if (event.getEvent() instanceof ConsumerNotice notice && !notice.getRequestId().isEmpty()) {
                answers.computeIfAbsent(notice.getRequestId(), id -> new ArrayList<>()).add(notice.getKind().name());
            }
        }
        return answers;
    }

    /** The notices that name a grant and no request (a grant that ended), as "KIND grantId", in order. */
    static List<String> grantNotices(List<DeliveryEvent> events) {
        return events.stream().map(DeliveryEvent::getEvent).filter(ConsumerNotice.class::isInstance)
                .map(ConsumerNotice.class::cast).filter(notice -> notice.getRequestId().isEmpty())
                .map(notice -> notice.getKind() + " " + notice.getGrantId()).toList();
    }

    /** By holder, the request ids in the order the consumer first heard of each (a delivery or a notice). */
    static Map<String, List<String>> firstAnswerOrder(List<DeliveryEvent> events) {
        Map<String, Set<String>> order = new LinkedHashMap<>();
        for (DeliveryEvent event : events) {
            if (event.getEvent() instanceof CredentialDelivery delivery) {
                order.computeIfAbsent(delivery.getHolderId(), h -> new LinkedHashSet<>()).add(delivery.getRequestId());
            } else if (event.getEvent() instanceof ConsumerNotice notice && !notice.getRequestId().isEmpty()) {
                order.computeIfAbsent(notice.getHolderId(), h -> new LinkedHashSet<>()).add(notice.getRequestId());
            }
        }
        return lists(order);
    }

    /** By holder, the request ids in the order of their first audit entry: when the processors took each in. */
    static Map<String, List<String>> auditedRequestOrder(List<AccessAudit> audit) {
        Map<String, Set<String>> order = new LinkedHashMap<>();
        audit.stream().filter(entry -> entry.getOutcome() != AuditOutcome.GRANTED && !entry.getRequestId().isEmpty())
                .forEach(entry -> order.computeIfAbsent(entry.getHolderId(), h -> new LinkedHashSet<>())
                        .add(entry.getRequestId()));
        return lists(order);
    }

    /** By holder, the grant ids in the order the audit trail records them GRANTED. */
    static Map<String, List<String>> auditedGrantOrder(List<AccessAudit> audit) {
        Map<String, List<String>> order = new LinkedHashMap<>();
        audit.stream().filter(entry -> entry.getOutcome() == AuditOutcome.GRANTED)
                .forEach(entry -> order.computeIfAbsent(entry.getHolderId(), h -> new ArrayList<>())
                        .add(entry.getGrantId()));
        return order;
    }

    /** By holder, the request ids of the pending requests in her inbox, in inbox order. */
    static Map<String, List<String>> inboxPendingOrder(List<ConsumerRecord<String, InboxEvent>> inbox) {
        Map<String, List<String>> order = new LinkedHashMap<>();
        inbox.forEach(record -> {
            if (record.value().getEvent() instanceof PendingRequest pending) {
                order.computeIfAbsent(HolderKeys.holderIdOf(record.key()), h -> new ArrayList<>())
                        .add(pending.getRequest().getRequestId());
            }
        });
        return order;
    }

    /** By holder, the ids of the credentials her inbox says were stored, in inbox order. */
    static Map<String, List<String>> inboxStoredOrder(List<ConsumerRecord<String, InboxEvent>> inbox) {
        Map<String, List<String>> order = new LinkedHashMap<>();
        inbox.forEach(record -> {
            if (record.value().getEvent() instanceof HolderNotice notice
                    && notice.getKind() == HolderNoticeKind.CREDENTIAL_STORED) {
                order.computeIfAbsent(notice.getHolderId(), h -> new ArrayList<>()).add(notice.getCredentialId());
            }
        });
        return order;
    }

    /**
     * The holders whose records on the old generation's topic are not, all of them and in the same order, the first of
     * hers on the new generation's, with both lists: the copy must hold her history as it was.
     */
    static <V> Map<String, String> notCopiedAsTheyWere(List<ConsumerRecord<String, V>> before,
                                                       List<ConsumerRecord<String, V>> after) {
        Map<String, List<V>> old = byHolder(before);
        Map<String, List<V>> copied = byHolder(after);
        Map<String, String> differing = new LinkedHashMap<>();
        old.forEach((holderId, records) -> {
            List<V> copy = copied.getOrDefault(holderId, List.of());
            List<V> head = copy.subList(0, Math.min(records.size(), copy.size()));
            if (!head.equals(records)) {
                differing.put(holderId, records.size() + " records before, the first " + head.size()
                        + " after differ: before " + records + " after " + head);
            }
        });
        return differing;
    }

    private static <V> Map<String, List<V>> byHolder(List<ConsumerRecord<String, V>> records) {
        Map<String, List<V>> byHolder = new LinkedHashMap<>();
        records.forEach(record -> byHolder.computeIfAbsent(HolderKeys.holderIdOf(record.key()),
                h -> new ArrayList<>()).add(record.value()));
        return byHolder;
    }

    /**
     * The holders whose list in {@code actual} is not the one in {@code expected} (an absent list counts as empty),
     * each with "read [...], expected [...]"; empty when all agree.
     */
    static Map<String, String> differing(Map<String, List<String>> actual, Map<String, List<String>> expected) {
        Map<String, String> differing = new TreeMap<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        keys.forEach(key -> {
            List<String> read = actual.getOrDefault(key, List.of());
            List<String> wanted = expected.getOrDefault(key, List.of());
            if (!read.equals(wanted)) {
                differing.put(key, "read " + read + ", expected " + wanted);
            }
        });
        return differing;
    }

    /** {@code byHolder} for each of {@code holders}, an empty list for one it does not name. */
    static Map<String, List<String>> of(Map<String, List<String>> byHolder, Set<String> holders) {
        Map<String, List<String>> restricted = new LinkedHashMap<>();
        holders.forEach(holderId -> restricted.put(holderId, byHolder.getOrDefault(holderId, List.of())));
        return restricted;
    }

    private static Map<String, List<String>> lists(Map<String, Set<String>> sets) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        sets.forEach((key, set) -> lists.put(key, List.copyOf(set)));
        return lists;
    }
}

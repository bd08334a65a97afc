package io.idstream.it.processors;

import io.idstream.it.processors.AnswerTimeline.Answer;
import io.idstream.it.processors.ClusterFaultInjectionIT.Fault;
import io.idstream.it.processors.ClusterFaultInjectionIT.SentRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The figures of a fault-injection run: per kind of fault, how long from the fault to the consumer's next verified
 * delivery of a request sent after it, and to every holder having a verified delivery again (p50 and max over the
 * faults of that kind); and the totals: faults, requests sent, answered once, lost, duplicated. Printed, logged and
 * written to {@value #FILE}, so that a run's figures can be read afterwards.
 */
final class FaultReport {
    private static final Logger LOG = LoggerFactory.getLogger(FaultReport.class);
    /** Relative to the module, where the build runs its tests. */
    static final String FILE = "target/cluster-faults.txt";

    private final List<Fault> faults;
    private final Map<String, SentRequest> sent;
    private final List<Answer> answers;
    private final int holders;

    FaultReport(List<Fault> faults, Map<String, SentRequest> sent, List<Answer> answers, int holders) {
        this.faults = List.copyOf(faults);
        this.sent = Map.copyOf(sent);
        this.answers = List.copyOf(answers);
        this.holders = holders;
    }

    /** Milliseconds from the fault to the first verified delivery of a request sent after it, if any came. */
    OptionalLong toNextVerifiedDelivery(Fault fault) {
        return answers.stream().filter(Answer::verifiedDelivery).filter(answer -> sentAfter(answer, fault))
                .mapToLong(answer -> answer.readAtMillis() - fault.atMillis()).min();
    }

    /**
     * Milliseconds from the fault until each holder has had a verified delivery of a request sent once the fault
     * was over ({@link Fault#settledAtMillis}), if all have. A PENDING notice does not count: it serves no one.
     */
    OptionalLong toEveryHolderAnswered(Fault fault) {
        Map<String, Long> firstByHolder = new HashMap<>();
        answers.stream().filter(Answer::verifiedDelivery).filter(answer -> sentAfterSettled(answer, fault))
                .forEach(answer -> firstByHolder.merge(answer.holderId(), answer.readAtMillis() - fault.atMillis(),
                        Math::min));
        return firstByHolder.size() < holders ? OptionalLong.empty()
                : OptionalLong.of(firstByHolder.values().stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    private boolean sentAfter(Answer answer, Fault fault) {
        SentRequest request = sent.get(answer.requestId());
        return request != null && request.sentAtMillis() >= fault.atMillis();
    }

    private boolean sentAfterSettled(Answer answer, Fault fault) {
        SentRequest request = sent.get(answer.requestId());
        return request != null && request.sentAtMillis() >= fault.settledAtMillis();
    }

    /** Prints the summary block to stdout, logs it and writes it to {@value #FILE}. */
    void print(List<String> sentIds, Set<String> onRequestsTopic, long wallMillis) throws IOException {
        String block = summary(sentIds, onRequestsTopic, wallMillis);
        System.out.println(block);
        LOG.info("Fault injection summary\n{}", block);
        Path file = Path.of(FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, block + System.lineSeparator());
    }

    String summary(List<String> sentIds, Set<String> onRequestsTopic, long wallMillis) {
        Map<String, List<Fault>> byKind = faults.stream().collect(Collectors.groupingBy(Fault::kind,
                LinkedHashMap::new, Collectors.toList()));
        StringBuilder out = new StringBuilder();
        out.append("==== cluster fault injection: 3 nodes (RF 3, min ISR 2), 2 processors instances ====\n");
        out.append(String.format("%-30s %6s %30s %30s%n", "fault", "count",
                "next verified delivery p50/max", "every holder delivered p50/max"));
        byKind.forEach((kind, ofKind) -> out.append(String.format("%-30s %6d %30s %30s%n", kind, ofKind.size(),
                percentiles(ofKind.stream().map(this::toNextVerifiedDelivery).toList()),
                percentiles(ofKind.stream().map(this::toEveryHolderAnswered).toList()))));
        Map<String, Long> answersByRequest = answers.stream().collect(Collectors.groupingBy(Answer::requestId,
                Collectors.counting()));
        long answeredOnce = sentIds.stream().filter(id -> answersByRequest.getOrDefault(id, 0L) == 1).count();
        long unanswered = sentIds.stream().filter(id -> !answersByRequest.containsKey(id)).count();
        long notOnTopic = sentIds.stream().filter(id -> !onRequestsTopic.contains(id)).count();
        long duplicated = answersByRequest.values().stream().filter(count -> count > 1).count();
        long verified = answers.stream().filter(Answer::verifiedDelivery).count();
        long notices = answers.stream().filter(answer -> answer.verification() == null).count();
        out.append("(from the fault; a restart's fault is its stop, and it counts requests sent once the group is\n"
                + " whole again, so that every holder delivered includes the tasks moving back)\n");
        out.append(String.format("faults injected: %d%n", faults.size()));
        out.append(String.format("requests sent (acknowledged): %d%n", sentIds.size()));
        out.append(String.format("answered once: %d (verified deliveries %d, PENDING notices %d)%n", answeredOnce,
                verified, notices));
        out.append(String.format("lost: %d (unanswered %d, acknowledged but not on the requests topic %d)%n",
                unanswered + notOnTopic, unanswered, notOnTopic));
        out.append(String.format("duplicated: %d%n", duplicated));
        out.append(String.format("wall time from the first node's start: %.1f s%n", wallMillis / 1000.0));
        out.append(String.format("load average (1 min) at the end: %.2f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors()));
        out.append("====");
        return out.toString();
    }

    /** p50 (nearest rank) and max in milliseconds, or what is missing. */
    private static String percentiles(Collection<OptionalLong> recoveries) {
        List<Long> sorted = new ArrayList<>();
        recoveries.forEach(recovery -> recovery.ifPresent(sorted::add));
        if (sorted.size() < recoveries.size()) {
            return (recoveries.size() - sorted.size()) + " never recovered";
        }
        sorted.sort(Long::compare);
        long p50 = sorted.get((sorted.size() + 1) / 2 - 1);
        return p50 + " / " + sorted.get(sorted.size() - 1) + " ms";
    }
}

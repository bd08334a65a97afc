package io.idstream.it.processors;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/** What a consumer's delivery topic must hold when every request was answered exactly once. */
final class AnsweredOnce {
    private AnsweredOnce() {
    }

    /**
     * Each request is delivered exactly once under the grant expected for it and no other is delivered, so that
     * each grant of {@code usesByGrant} serves exactly its uses; each request expected to wait has exactly one
     * PENDING notice and no other has one; no notice of another kind is sent.
     */
    static void assertAnsweredExactlyOnce(List<DeliveryEvent> events, Map<String, Integer> usesByGrant,
                                          Map<String, String> expectedGrants, Set<String> expectedPending) {
        Map<String, List<String>> grantsByRequest = credentialDeliveries(events).stream().collect(Collectors.groupingBy(
                CredentialDelivery::getRequestId, Collectors.mapping(d -> d.getGrant().getGrantId(),
                        Collectors.toList())));
        assertThat(repeated(grantsByRequest)).as("requests delivered more than once").isEmpty();
        usesByGrant.forEach((grantId, uses) -> assertThat(grantsByRequest.values().stream()
                .filter(grantIds -> grantIds.contains(grantId)).count())
                .as("deliveries under the grant %s, which counts %d uses", grantId, uses).isEqualTo((long) uses));
        assertThat(missing(expectedGrants.keySet(), grantsByRequest.keySet()))
                .as("requests never delivered, of %d expected", expectedGrants.size()).isEmpty();
        assertThat(missing(grantsByRequest.keySet(), expectedGrants.keySet()))
                .as("requests delivered that should have waited").isEmpty();
        grantsByRequest.forEach((requestId, grantIds) -> assertThat(grantIds)
                .as("grant that request %s was delivered under", requestId)
                .containsExactly(expectedGrants.get(requestId)));

        Map<String, List<NoticeKind>> noticesByRequest = notices(events).stream().collect(Collectors.groupingBy(
                ConsumerNotice::getRequestId, Collectors.mapping(ConsumerNotice::getKind, Collectors.toList())));
        assertThat(repeated(noticesByRequest)).as("requests given more than one notice").isEmpty();
        assertThat(missing(expectedPending, noticesByRequest.keySet()))
                .as("waiting requests never told PENDING, of %d expected", expectedPending.size()).isEmpty();
        assertThat(missing(noticesByRequest.keySet(), expectedPending))
                .as("requests given a notice that should have been delivered at once").isEmpty();
        assertThat(noticesByRequest.values()).as("notice kinds").allSatisfy(kinds ->
                assertThat(kinds).containsExactly(NoticeKind.PENDING));
    }

    /** The requests answered more than once, with their answers. */
    static <T> Map<String, List<T>> repeated(Map<String, List<T>> byRequest) {
        Map<String, List<T>> repeated = new HashMap<>(byRequest);
        repeated.values().removeIf(answers -> answers.size() < 2);
        return repeated;
    }

    /** What {@code expected} holds and {@code actual} does not. */
    static Set<String> missing(Set<String> expected, Set<String> actual) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        return missing;
    }
}

package io.idstream.it.lifecycle;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A consumer's delivery topic read through its client's subscription, as that consumer sees it: every outcome read
 * so far is kept, so a test can wait for a notice that arrived while it waited for something else.
 */
final class DeliveryWatch implements AutoCloseable {
    private final ConsumerClient.Subscription subscription;
    private final List<DeliveryOutcome> seen = new ArrayList<>();
    private final String consumerId;

    DeliveryWatch(ConsumerClient consumer, String groupSuffix) {
        this.consumerId = consumer.identity().id();
        this.subscription = consumer.subscribe(consumerId + "." + groupSuffix);
    }

    /** Reads until an outcome that {@code wanted} accepts has arrived (now or before); returns it. */
    DeliveryOutcome await(String what, Predicate<DeliveryOutcome> wanted) {
        return Awaitility.await(consumerId + " receives " + what).atMost(LifecyclePlatform.WAIT)
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    seen.addAll(subscription.poll(Duration.ofMillis(200)));
                    return seen.stream().filter(wanted).findFirst();
                }, Optional::isPresent).orElseThrow();
    }

    /** Every outcome about {@code requestId} read so far. */
    List<DeliveryOutcome> about(String requestId) {
        return seen.stream().filter(o -> o.requestId().equals(requestId)).toList();
    }

    /** The delivery answering {@code requestId}, once it arrives: a delivery that passed every check, or a refusal. */
    DeliveryOutcome answerTo(String requestId) {
        return await("the answer to request " + requestId, o -> o.requestId().equals(requestId)
                && !(o instanceof DeliveryOutcome.Notice));
    }

    @Override
    public void close() {
        subscription.close();
    }
}

package io.idstream.sdk;

import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalogue's re-read of the generation runs on one caller's thread with no lock held: while it hangs (the
 * generation topic's partition away), every other thread of the client goes on with the catalogue it has.
 */
@Timeout(30)
class GenerationFollowerTest {
    static final TopicGeneration FIRST = new TopicGeneration(0, 6);
    static final TopicGeneration GROWN = new TopicGeneration(1, 12);

    @Test
    void aHangingReReadOfTheGenerationDoesNotHoldUpAnotherThreadsCatalogue() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch released = new CountDownLatch(1);
        GenerationFollower follower = new GenerationFollower(Map.of(TopicCatalogConfig.TOPIC_PREFIX, "hanging",
                "schema.registry.url", "mock://generation-follower-test"), Duration.ofSeconds(30), () -> {
                    if (reads.incrementAndGet() == 1) {
                        return FIRST;
                    }
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return GROWN;
                });
        follower.catalog();
        CompletableFuture<TopicCatalog> reReading = CompletableFuture.supplyAsync(() ->
                follower.catalog(Duration.ZERO));
        await("the re-read hanging").atMost(Duration.ofSeconds(10)).until(() -> reads.get() == 2);

        CompletableFuture<TopicCatalog> meanwhile = CompletableFuture.supplyAsync(follower::catalog);
        CompletableFuture<TopicCatalog> dueMeanwhile = CompletableFuture.supplyAsync(() ->
                follower.catalog(Duration.ZERO));

        assertThat(meanwhile).as("another thread's catalogue while a re-read hangs")
                .succeedsWithin(Duration.ofSeconds(2)).extracting(TopicCatalog::generation).isEqualTo(FIRST);
        assertThat(dueMeanwhile).as("another thread's catalogue, due for a re-read, while a re-read hangs")
                .succeedsWithin(Duration.ofSeconds(2)).extracting(TopicCatalog::generation).isEqualTo(FIRST);
        assertThat(reReading).isNotDone();
        released.countDown();
        assertThat(reReading.get(5, TimeUnit.SECONDS).generation()).isEqualTo(GROWN);
        assertThat(follower.catalog().generation()).isEqualTo(GROWN);
        assertThat(follower.generationReads()).as("one re-read at a time").isEqualTo(2);
    }
}

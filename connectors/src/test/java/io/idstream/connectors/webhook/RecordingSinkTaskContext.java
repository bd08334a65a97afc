package io.idstream.connectors.webhook;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connect's side of a sink task, as far as the webhook sink uses it: an errant record reporter that keeps what it is
 * given (the dead-letter topic's input) and the backoffs the task asks for. The real worker is covered by
 * integration-tests' {@code WebhookSinkIT}.
 */
public final class RecordingSinkTaskContext implements SinkTaskContext {
    /** One record given to the errant record reporter, with the error Connect would write into its headers. */
    public record DeadLetter(SinkRecord record, Throwable error) {
    }

    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final List<Long> timeouts = new CopyOnWriteArrayList<>();

    /** What the reporter was given, in order. */
    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** The backoffs asked for with {@link #timeout(long)}, in order. */
    public List<Long> timeouts() {
        return List.copyOf(timeouts);
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return (record, error) -> {
            deadLetters.add(new DeadLetter(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public void timeout(long timeoutMs) {
        timeouts.add(timeoutMs);
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}

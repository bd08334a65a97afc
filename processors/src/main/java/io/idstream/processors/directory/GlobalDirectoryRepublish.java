package io.idstream.processors.directory;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.processors.Sinks;
import io.idstream.processors.access.ExpiryIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The upgrade to the global directory (docs/protocol.md section 10): a deployment verified before it existed has its
 * issuers' and consumers' entries in the verified directory and in the tasks' own directory state, and none in the
 * global directory the processors now load them from. Once per task, shortly after it starts, the issuers' and
 * consumers' entries of the task's state are sent to the global directory, and the task's bookkeeping marks it done in
 * the same transaction, so that a restart or a restore from the changelog does not send them again. Each is the entry
 * in force, which the loader accepts again unchanged; an entry verified after the task started is in the state already
 * and goes out again as it is.
 */
final class GlobalDirectoryRepublish {
    /** The mark, in the task's bookkeeping, that its issuers and consumers were sent to the global directory. */
    static final String DONE = "directory-global-republished";
    /** How soon after a task starts it sends them; a processor forwards nothing while its task initialises. */
    static final Duration DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(GlobalDirectoryRepublish.class);

    private GlobalDirectoryRepublish() {
    }

    /** Schedules the republication for the task of {@code context}, unless its bookkeeping says it is done. */
    static void scheduleOnce(ProcessorContext<Object, Object> context, KeyValueStore<String, VerifiedPrincipal> state) {
        ExpiryIndex bookkeeping = new ExpiryIndex(context);
        if (bookkeeping.isDone(DONE)) {
            return;
        }
        Cancellable[] scheduled = new Cancellable[1];
        scheduled[0] = context.schedule(DELAY, PunctuationType.WALL_CLOCK_TIME, now -> {
            scheduled[0].cancel();
            republish(context, state, bookkeeping, now);
        });
    }

    private static void republish(ProcessorContext<Object, Object> context,
                                  KeyValueStore<String, VerifiedPrincipal> state, ExpiryIndex bookkeeping, long now) {
        if (bookkeeping.isDone(DONE)) {
            return;
        }
        int sent = 0;
        try (KeyValueIterator<String, VerifiedPrincipal> entries = state.all()) {
            while (entries.hasNext()) {
                KeyValue<String, VerifiedPrincipal> entry = entries.next();
                if (!DirectoryView.isHolder(entry.value)) {
                    context.forward(new Record<>(entry.key, entry.value, now), Sinks.DIRECTORY_GLOBAL);
                    sent++;
                }
            }
        }
        bookkeeping.markDone(DONE);
        LOG.info("Issuers and consumers of the task's partition sent to the global directory entries={}", sent);
    }
}

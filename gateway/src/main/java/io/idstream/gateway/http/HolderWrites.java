package io.idstream.gateway.http;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.Principal;

import java.util.concurrent.CompletableFuture;

/**
 * What the gateway writes on a holder's behalf, after checking the holder's signatures: a registration to the
 * directory, a decision to the decisions topic, and a sealed key backup to the backups topic. Each future completes once the write is durable (for Kafka: acked
 * by every in-sync replica), so that a 202 means the processors will see the record; it fails when it could not be.
 */
public interface HolderWrites extends AutoCloseable {
    /** Writes the holder's self-signed registration, keyed by its id. */
    CompletableFuture<Void> register(Principal registration);

    /** Writes the holder's signed decision, keyed by the holder's id. */
    CompletableFuture<Void> decide(String holderId, DecisionEvent decision);

    /** Writes the holder's sealed key backup, keyed by her id; the newest replaces the one before. */
    CompletableFuture<Void> storeBackup(HolderBackup backup);

    @Override
    default void close() {
    }
}

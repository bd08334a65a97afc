package io.idstream.gateway.http;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.Principal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the gateway would write; {@code failing} makes every write fail, as an unreachable broker would. */
final class RecordingHolderWrites implements HolderWrites {
    record Decision(String holderId, DecisionEvent event) {
    }

    final List<Principal> registrations = new CopyOnWriteArrayList<>();
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final List<HolderBackup> backups = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public CompletableFuture<Void> register(Principal registration) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("no broker"));
        }
        registrations.add(registration);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> decide(String holderId, DecisionEvent decision) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("no broker"));
        }
        decisions.add(new Decision(holderId, decision));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> storeBackup(HolderBackup backup) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("no broker"));
        }
        backups.add(backup);
        return CompletableFuture.completedFuture(null);
    }
}

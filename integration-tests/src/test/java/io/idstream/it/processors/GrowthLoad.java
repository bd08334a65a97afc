package io.idstream.it.processors;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.IssuerClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that keep working while the platform grows, as real participants would, each through the SDK: the consumer
 * sends a request to one of the holders every {@link #REQUEST_DELAY}, most for the purpose the holder's standing
 * grant covers (delivered at once) and every third for one it does not (parked, then approved by the holder); the
 * issuer sends each holder an address credential every {@link #ISSUE_DELAY}; the holders approve their parked
 * requests, oldest first, through the gateway. A consumer's or issuer's send that meets the fenced generation must
 * follow the new one; a holder whose gateway is down (it stops while the platform grows) asks again once it is back,
 * as a holder's app would, and only when nothing was written: her inbox did not show the request yet, or the gateway
 * refused the connection. Any other failure stops that client, and is reported by {@link #failures()}.
 */
final class GrowthLoad implements AutoCloseable {
    static final Duration REQUEST_DELAY = Duration.ofMillis(100);
    static final Duration ISSUE_DELAY = Duration.ofMillis(150);
    static final Duration DECIDE_DELAY = Duration.ofMillis(100);
    /** Parked requests a holder may have waiting at once, well under the processors' 16 per consumer and holder. */
    static final int MAX_PARKED_PER_HOLDER = 2;

    private record Parked(String holderId, String requestId) {
    }

    private final GrowthLedger ledger;
    private final ConsumerClient consumer;
    private final IssuerClient issuer;
    private final Map<String, HolderClient> holders;
    private final List<String> holderIds;
    private final ScheduledExecutorService clients = Executors.newScheduledThreadPool(3);
    private final ConcurrentLinkedQueue<Parked> parked = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> parkedNow = new HashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestsSent = new AtomicInteger();
    private final AtomicInteger approvals = new AtomicInteger();
    private final List<ScheduledFuture<?>> senders = new ArrayList<>();
    private ScheduledFuture<?> decider;
    private int nextRequest;
    private int nextCredential;

    GrowthLoad(GrowthLedger ledger, ConsumerClient consumer, IssuerClient issuer, Map<String, HolderClient> holders) {
        this.ledger = ledger;
        this.consumer = consumer;
        this.issuer = issuer;
        this.holders = Map.copyOf(holders);
        this.holderIds = List.copyOf(holders.keySet());
        holderIds.forEach(id -> parkedNow.put(id, new AtomicInteger()));
    }

    void start() {
        senders.add(clients.scheduleWithFixedDelay(() -> runOrStop("the consumer's requests", this::sendRequest),
                0, REQUEST_DELAY.toMillis(), TimeUnit.MILLISECONDS));
        senders.add(clients.scheduleWithFixedDelay(() -> runOrStop("the issuer's credentials", this::issue),
                0, ISSUE_DELAY.toMillis(), TimeUnit.MILLISECONDS));
        decider = clients.scheduleWithFixedDelay(() -> runOrStop("the holders' approvals", this::approveOldest),
                0, DECIDE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendRequest() {
        int turn = nextRequest++;
        String holderId = holderIds.get(turn % holderIds.size());
        boolean park = turn % 3 == 2 && parkedNow.get(holderId).get() < MAX_PARKED_PER_HOLDER;
        long started = System.currentTimeMillis();
        String requestId = consumer.request(holderId, "kyc", PartitionGrowthStoryIT.FIELDS,
                park ? PartitionGrowthStoryIT.PARKED_PURPOSE : PartitionGrowthStoryIT.PURPOSE);
        if (park) {
            ledger.requested(holderId, requestId, started, "PENDING");
            parkedNow.get(holderId).incrementAndGet();
            parked.add(new Parked(holderId, requestId));
        } else {
            ledger.requested(holderId, requestId, started, "DELIVERED");
        }
        requestsSent.incrementAndGet();
    }

    private void issue() {
        String holderId = holderIds.get(nextCredential++ % holderIds.size());
        long started = System.currentTimeMillis();
        String credentialId = issuer.issue(holderId, "address", PartitionGrowthStoryIT.ADDRESS, 0L);
        ledger.issued(holderId, credentialId, started);
    }

    /** Approves the oldest parked request once its holder's inbox shows it, for exactly one use. */
    private void approveOldest() {
        Parked oldest = parked.peek();
        if (oldest == null) {
            return;
        }
        String grantId;
        try {
            grantId = holders.get(oldest.holderId()).approve(oldest.requestId(),
                    new HolderClient.Scope(null, PartitionGrowthStoryIT.VALID_FOR, 1));
        } catch (IdstreamException e) {
            if (nothingWritten(e)) {
                return;
            }
            throw e;
        }
        ledger.granted(oldest.holderId(), grantId);
        ledger.decided(oldest.requestId(), "DELIVERED");
        parked.poll();
        parkedNow.get(oldest.holderId()).decrementAndGet();
        approvals.incrementAndGet();
    }

    /**
     * Failures after which nothing reached the platform, so asking again is what she does: the request not yet in
     * her inbox, or the gateway refusing the connection (while it restarts) at any step of her approval.
     */
    private static boolean nothingWritten(IdstreamException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("is not pending for")
                || message.contains("cannot reach the gateway") && message.contains("connection refused");
    }

    private void runOrStop(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            failures.add(what + " stopped: " + e);
            // Thrown on, so that the executor runs this client no more.
            throw e;
        }
    }

    int requestsSent() {
        return requestsSent.get();
    }

    int approvals() {
        return approvals.get();
    }

    /** Why a client of the load stopped, one line each; empty while all run. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Stops the consumer's and the issuer's sends (a send under way completes), then waits until the holders have
     * approved every request parked so far, or until {@code timeout}, and stops them too. Returns the parked requests
     * left unapproved, "holderId requestId": those that never reached their holder's inbox, and all that were left
     * when the holders' client stopped.
     */
    List<String> stopAndAwaitDecided(Duration timeout) throws InterruptedException {
        senders.forEach(sender -> sender.cancel(false));
        try {
            Awaitility.await("the holders approve every parked request of the load").atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> parked.isEmpty() || !failures.isEmpty() || decider.isDone());
        } catch (ConditionTimeoutException e) {
            // Reported by what is returned, with the checks that follow.
        }
        decider.cancel(false);
        clients.shutdown();
        if (!clients.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            failures.add("a client of the load did not finish within " + timeout.toSeconds() + " s");
        }
        return parked.stream().map(request -> request.holderId() + " " + request.requestId()).toList();
    }

    @Override
    public void close() {
        clients.shutdownNow();
    }
}

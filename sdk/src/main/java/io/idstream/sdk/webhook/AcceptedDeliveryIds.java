package io.idstream.sdk.webhook;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery ids a receiver has handed to its consumer, each kept until no POST carrying it could pass the time
 * check any more (its newest signed timestamp plus the tolerance). Memory is bounded: beyond {@code capacity} ids
 * the least recently seen is forgotten first.
 */
final class AcceptedDeliveryIds {
    private final int capacity;
    /** Id to the unix second after which a POST with it is too old anyway; least recently seen first. */
    private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>(16, 0.75f, true);

    AcceptedDeliveryIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a receiver remembers at least one delivery id, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Takes {@code id} as accepted until {@code expiresAt} and returns true, or returns false if it already is; a
     * repeat carries its own, maybe newer, timestamp, and the id is kept for as long as that one passes too.
     */
    synchronized boolean claim(String id, long expiresAt, long now) {
        forgetExpired(now);
        Long known = expiries.get(id);
        if (known != null && known >= now) {
            expiries.put(id, Math.max(known, expiresAt));
            return false;
        }
        expiries.put(id, expiresAt);
        Iterator<Long> oldest = expiries.values().iterator();
        while (expiries.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Forgets a claim whose delivery the consumer could not take, so that the sink's retry is handed on. */
    synchronized void release(String id) {
        expiries.remove(id);
    }

    synchronized int size() {
        return expiries.size();
    }

    /** From the least recently seen on, up to the first id still in its window. */
    private void forgetExpired(long now) {
        Iterator<Map.Entry<String, Long>> entries = expiries.entrySet().iterator();
        while (entries.hasNext() && entries.next().getValue() < now) {
            entries.remove();
        }
    }
}

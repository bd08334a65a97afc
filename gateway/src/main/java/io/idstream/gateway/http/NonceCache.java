package io.idstream.gateway.http;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces each holder signed within the last {@code window} (twice the clock skew, so that a request is
 * remembered for as long as its signature could be fresh), checked by the instance that owns the holder. A holder
 * may sign at most {@code maxPerHolder} requests per window; the bound keeps one holder from filling the memory.
 * Only verified signatures reach this cache, so only registered holders take room in it.
 */
final class NonceCache {
    private final long windowMillis;
    private final int maxPerHolder;
    private final Map<String, HolderNonces> holders = new ConcurrentHashMap<>();

    NonceCache(long windowMillis, int maxPerHolder) {
        this.windowMillis = windowMillis;
        this.maxPerHolder = maxPerHolder;
    }

    /**
     * Remembers the nonce, or refuses it: 401 replayed-nonce when the holder already used it within the window, 429
     * when the holder signed too many requests within it.
     */
    void use(String holderId, String nonce, long nowMillis) {
        while (true) {
            HolderNonces nonces = holders.computeIfAbsent(holderId, id -> new HolderNonces());
            synchronized (nonces) {
                // A sweep may have dropped this holder's entry since it was looked up: use the one in the map.
                if (!nonces.swept) {
                    remember(nonces, nonce, nowMillis);
                    return;
                }
            }
        }
    }

    private void remember(HolderNonces nonces, String nonce, long nowMillis) {
        nonces.expire(nowMillis);
        if (nonces.seen.containsKey(nonce)) {
            throw new ApiError(401, ApiError.REPLAYED_NONCE, "this nonce was already used");
        }
        if (nonces.seen.size() >= maxPerHolder) {
            throw new ApiError(429, ApiError.TOO_MANY_REQUESTS, "more than " + maxPerHolder
                    + " requests within " + windowMillis / 1000 + " s");
        }
        nonces.seen.put(nonce, nowMillis + windowMillis);
    }

    /** Drops the holders whose nonces all expired, so that the map holds only recent signers. */
    void sweep(long nowMillis) {
        holders.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                entry.getValue().expire(nowMillis);
                entry.getValue().swept = entry.getValue().seen.isEmpty();
                return entry.getValue().swept;
            }
        });
    }

    int holdersTracked() {
        return holders.size();
    }

    private static final class HolderNonces {
        /** Nonce to expiry, in the order seen: expiries grow along it, so expired ones are at the head. */
        final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
        boolean swept;

        void expire(long nowMillis) {
            Iterator<Long> expiries = seen.values().iterator();
            while (expiries.hasNext() && expiries.next() <= nowMillis) {
                expiries.remove();
            }
        }
    }
}

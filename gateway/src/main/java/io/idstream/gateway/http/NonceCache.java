package io.idstream.gateway.http;

import io.idstream.crypto.http.MessageSignatures;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces each holder signed, checked by the instance that owns the holder. A nonce is remembered until
 * {@link MessageSignatures#nonceExpiry} of its request's {@code created}: one second past the last one at which the
 * request is fresh, so that a replay at the edge of the window is still refused (docs/protocol.md section 16). A
 * holder may have at most {@code maxPerHolder} nonces remembered at once; the bound keeps one holder from filling
 * the memory. Only verified signatures reach this cache: the requests of registered holders, and the registrations
 * of new ids, signed by the key they bring (paced per address and per instance before their body is read). At most
 * {@code maxHolders} holder ids are held at once; a new holder's request above that is refused with 503 until the
 * sweep frees room.
 */
final class NonceCache {
    private final long skewSeconds;
    private final int maxPerHolder;
    private final int maxHolders;
    private final Map<String, HolderNonces> holders = new ConcurrentHashMap<>();

    /**
     * @param skewSeconds  how far a request's {@code created} may be from the gateway's clock
     * @param maxPerHolder how many nonces of one holder may be remembered at once
     */
    NonceCache(long skewSeconds, int maxPerHolder) {
        this(skewSeconds, maxPerHolder, Integer.MAX_VALUE);
    }

    /** @param maxHolders how many holder ids may have nonces remembered at once */
    NonceCache(long skewSeconds, int maxPerHolder, int maxHolders) {
        this.skewSeconds = skewSeconds;
        this.maxPerHolder = maxPerHolder;
        this.maxHolders = maxHolders;
    }

    /**
     * Remembers the nonce of a request signed at {@code createdEpochSeconds}, or refuses it: 401 replayed-nonce when
     * the holder's nonce is still remembered, 429 when the holder has too many nonces remembered.
     */
    void use(String holderId, String nonce, long createdEpochSeconds, long nowMillis) {
        while (true) {
            if (holders.size() >= maxHolders && !holders.containsKey(holderId)) {
                throw ApiError.unavailable("the gateway remembers the nonces of too many holders; retry later");
            }
            HolderNonces nonces = holders.computeIfAbsent(holderId, id -> new HolderNonces());
            synchronized (nonces) {
                // A sweep may have dropped this holder's entry since it was looked up: use the one in the map.
                if (!nonces.swept) {
                    remember(nonces, nonce, createdEpochSeconds, nowMillis);
                    return;
                }
            }
        }
    }

    private void remember(HolderNonces nonces, String nonce, long createdEpochSeconds, long nowMillis) {
        nonces.expire(nowMillis);
        if (nonces.seen.containsKey(nonce)) {
            throw new ApiError(401, ApiError.REPLAYED_NONCE, "this nonce was already used");
        }
        if (nonces.seen.size() >= maxPerHolder) {
            throw new ApiError(429, ApiError.TOO_MANY_REQUESTS, "more than " + maxPerHolder
                    + " requests within " + (skewSeconds + 1) + " s");
        }
        nonces.seen.put(nonce, MessageSignatures.nonceExpiry(createdEpochSeconds, skewSeconds) * 1000);
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
        /** Nonce to the epoch millisecond from which it may be forgotten. */
        final Map<String, Long> seen = new HashMap<>();
        boolean swept;

        void expire(long nowMillis) {
            seen.values().removeIf(expiry -> expiry <= nowMillis);
        }
    }
}

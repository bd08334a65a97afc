package io.idstream.gateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets that refill at their capacity a period up to their capacity: one per key (a source address, a holder
 * id) and one for every key together. A request takes one token from both or is refused with 429 and the seconds
 * until a token is back. The per-key buckets that are full again are dropped once there are many, so that keys seen
 * once do not stay in memory.
 */
final class RateLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final double perKeyPerMilli;
    private final int perKey;
    private final Bucket total;
    private final Map<String, Bucket> byKey = new ConcurrentHashMap<>();
    private final String what;
    private final String perKeyWords;
    private final String code;

    /** Per source address and for the instance, a minute; refused as too-many-requests. */
    RateLimiter(String what, int perKeyPerMinute, int totalPerMinute, long nowMillis) {
        this(what, "from this address", ApiError.TOO_MANY_REQUESTS, perKeyPerMinute, totalPerMinute,
                Duration.ofMinutes(1), nowMillis);
    }

    /**
     * @param perKeyWords what a key is, as the refusal says it ("from this address")
     * @param code        the error code of a refusal
     */
    RateLimiter(String what, String perKeyWords, String code, int perKey, int total, Duration period,
                long nowMillis) {
        this.what = what;
        this.perKeyWords = perKeyWords;
        this.code = code;
        this.perKey = perKey;
        this.perKeyPerMilli = perKey / (double) period.toMillis();
        this.total = new Bucket(total, total / (double) period.toMillis(), nowMillis);
    }

    /** Takes a token for {@code key}, or throws 429 too-many-requests with {@code Retry-After}. */
    void acquire(String key, long nowMillis) {
        if (byKey.size() > SWEEP_ABOVE) {
            byKey.values().removeIf(bucket -> bucket.full(nowMillis));
        }
        Bucket mine = byKey.computeIfAbsent(key, k -> new Bucket(perKey, perKeyPerMilli, nowMillis));
        synchronized (total) {
            synchronized (mine) {
                long mineWait = mine.waitMillis(nowMillis);
                long totalWait = total.waitMillis(nowMillis);
                if (mineWait > 0 || totalWait > 0) {
                    long seconds = (Math.max(mineWait, totalWait) + 999) / 1000;
                    throw ApiError.tooManyRequests(code, "too many " + what + " " + (mineWait > 0 ? perKeyWords
                            : "to this gateway") + "; retry after " + seconds + " s", seconds);
                }
                mine.tokens -= 1;
                total.tokens -= 1;
            }
        }
    }

    private static final class Bucket {
        final int capacity;
        final double perMilli;
        double tokens;
        long refilledAt;

        Bucket(int capacity, double perMilli, long nowMillis) {
            this.capacity = capacity;
            this.perMilli = perMilli;
            this.tokens = capacity;
            this.refilledAt = nowMillis;
        }

        /** Refills, then how long until a whole token is there (0: one is). */
        long waitMillis(long nowMillis) {
            if (nowMillis > refilledAt) {
                tokens = Math.min(capacity, tokens + (nowMillis - refilledAt) * perMilli);
                refilledAt = nowMillis;
            }
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMilli);
        }

        synchronized boolean full(long nowMillis) {
            return waitMillis(nowMillis) == 0 && tokens >= capacity;
        }
    }
}

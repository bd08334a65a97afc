package io.idstream.gateway.http;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway's clock, moved by the test. */
final class TestClock extends Clock {
    private final AtomicLong millis;

    TestClock(long millis) {
        this.millis = new AtomicLong(millis);
    }

    void advanceMillis(long delta) {
        millis.addAndGet(delta);
    }

    void advanceSeconds(long seconds) {
        millis.addAndGet(seconds * 1000);
    }

    long epochSeconds() {
        return millis.get() / 1000;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }
}

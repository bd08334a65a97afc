package io.idstream.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NonceCacheTest {
    static final long WINDOW = 120_000;

    @Test
    void aNonceIsRefusedWithinTheWindowAndForgottenAfterIt() {
        NonceCache nonces = new NonceCache(WINDOW, 10);
        nonces.use("alice", "n1", 0);

        assertThatThrownBy(() -> nonces.use("alice", "n1", WINDOW - 1))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("replayed-nonce"));
        nonces.use("bob", "n1", 1);
        nonces.use("alice", "n1", WINDOW);
    }

    @Test
    void aSweepDropsHoldersWhoseNoncesAllExpiredAndKeepsTheOthers() {
        NonceCache nonces = new NonceCache(WINDOW, 10);
        nonces.use("alice", "n1", 0);
        nonces.use("bob", "n1", WINDOW / 2);

        nonces.sweep(WINDOW);

        assertThat(nonces.holdersTracked()).isEqualTo(1);
        assertThatThrownBy(() -> nonces.use("bob", "n1", WINDOW))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("replayed-nonce"));
    }

    @Test
    void aHolderMaySignOnlySoManyRequestsPerWindow() {
        NonceCache nonces = new NonceCache(WINDOW, 2);
        nonces.use("alice", "n1", 0);
        nonces.use("alice", "n2", 1);

        assertThatThrownBy(() -> nonces.use("alice", "n3", 2))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(429));
        nonces.use("alice", "n3", WINDOW);
    }
}

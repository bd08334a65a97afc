package io.idstream.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nonces remembered until their request's created + 61 s (docs/protocol.md section 16), by the gateway's clock. */
class NonceCacheTest {
    static final long SKEW = 60;
    static final long CREATED = 1_700_000_000;
    static final long AT_CREATED = CREATED * 1000;
    /** The first millisecond at which a request signed at CREATED is stale, and its nonce may be forgotten. */
    static final long FORGOTTEN_AT = (CREATED + SKEW + 1) * 1000;

    @Test
    void aNonceIsRefusedUntil61SecondsAfterItsCreatedAndForgottenThen() {
        NonceCache nonces = new NonceCache(SKEW, 10);
        nonces.use("alice", "n1", CREATED, AT_CREATED);

        assertThatThrownBy(() -> nonces.use("alice", "n1", CREATED, FORGOTTEN_AT - 1))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("replayed-nonce"));
        nonces.use("bob", "n1", CREATED, AT_CREATED + 1);
        nonces.use("alice", "n1", CREATED + SKEW, FORGOTTEN_AT);
    }

    @Test
    void aRequestSigned60SecondsAgoHasItsNonceRememberedOneSecondMore() {
        NonceCache nonces = new NonceCache(SKEW, 10);
        long now = AT_CREATED + SKEW * 1000;
        nonces.use("alice", "n1", CREATED, now);

        assertThatThrownBy(() -> nonces.use("alice", "n1", CREATED, now + 999))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("replayed-nonce"));
    }

    @Test
    void aSweepDropsHoldersWhoseNoncesAllExpiredAndKeepsTheOthers() {
        NonceCache nonces = new NonceCache(SKEW, 10);
        nonces.use("alice", "n1", CREATED, AT_CREATED);
        nonces.use("bob", "n1", CREATED + 30, AT_CREATED + 30_000);

        nonces.sweep(FORGOTTEN_AT);

        assertThat(nonces.holdersTracked()).isEqualTo(1);
        assertThatThrownBy(() -> nonces.use("bob", "n1", CREATED + 30, FORGOTTEN_AT))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("replayed-nonce"));
    }

    @Test
    void aHolderMayHaveOnlySoManyNoncesRememberedAtOnce() {
        NonceCache nonces = new NonceCache(SKEW, 2);
        nonces.use("alice", "n1", CREATED, AT_CREATED);
        nonces.use("alice", "n2", CREATED, AT_CREATED + 1);

        assertThatThrownBy(() -> nonces.use("alice", "n3", CREATED, AT_CREATED + 2))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(429));
        nonces.use("alice", "n3", CREATED + SKEW, FORGOTTEN_AT);
    }
}

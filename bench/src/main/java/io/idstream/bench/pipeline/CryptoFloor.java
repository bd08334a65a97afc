package io.idstream.bench.pipeline;

import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Hpke;
import io.idstream.crypto.Sealed;
import io.idstream.crypto.SigningKeyPair;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The crypto floor of one delivery on one core: an Ed25519 verification and an HPKE open, each run in a loop for a
 * time budget after a warm-up. The platform's CPU per delivery is reported against the verification.
 */
final class CryptoFloor {
    private static final byte[] INFO = "idstream/bench/open".getBytes(StandardCharsets.US_ASCII);

    /** One core's cost of the two operations every delivery needs. */
    record Figures(double ed25519VerifyUs, double ed25519VerifyPerSec, double hpkeOpenPerSec) {
    }

    private CryptoFloor() {
    }

    static Figures measure(boolean quick) {
        long budget = quick ? 500_000_000L : 2_000_000_000L;
        SigningKeyPair signer = SigningKeyPair.generate();
        byte[] message = new byte[200];
        byte[] signature = signer.sign(message);
        // One whole verification from the raw key, decoding included: the textbook cost the targets refer to (the
        // processors keep decoded keys, so theirs is cheaper).
        byte[] publicKey = signer.publicKey();
        double verifyNs = timePerOp(() -> Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length),
                budget);
        EncryptionKeyPair recipient = EncryptionKeyPair.generate();
        byte[] aad = new byte[64];
        Sealed sealed = Hpke.seal(recipient.publicKey(), INFO, aad, new byte[96]);
        double openNs = timePerOp(() -> Hpke.open(recipient, INFO, aad, sealed), budget);
        return new Figures(verifyNs / 1000, 1e9 / verifyNs, 1e9 / openNs);
    }

    private static double timePerOp(Supplier<?> op, long budgetNanos) {
        for (int i = 0; i < 2_000; i++) {
            op.get();
        }
        long ops = 0;
        long started = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < 100; i++) {
                op.get();
            }
            ops += 100;
            elapsed = System.nanoTime() - started;
        } while (elapsed < budgetNanos);
        return elapsed / (double) ops;
    }
}

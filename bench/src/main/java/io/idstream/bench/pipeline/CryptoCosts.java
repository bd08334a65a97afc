package io.idstream.bench.pipeline;

import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.Hpke;
import io.idstream.crypto.Sealed;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/** The crypto floor of one delivery, and a grant's cost against re-encrypting a whole copy, on one core. */
final class CryptoCosts {
    private static final byte[] INFO = "idstream/bench/copy".getBytes(StandardCharsets.US_ASCII);

    private CryptoCosts() {
    }

    static void floor(BenchResults results, boolean quick) {
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
        results.ed25519VerifyUs = verifyNs / 1000;
        results.ed25519VerifyPerSec = 1e9 / verifyNs;
        results.hpkeOpenPerSec = 1e9 / openNs;
    }

    static void grantCosts(BenchResults results, boolean quick) {
        // The first round warms the JIT up for every size; the second is the one reported.
        measureGrantCosts(new BenchResults(null), true);
        measureGrantCosts(results, quick);
    }

    private static void measureGrantCosts(BenchResults results, boolean quick) {
        for (int kb : List.of(1, 64, 1024)) {
            SigningKeyPair issuer = SigningKeyPair.generate();
            SigningKeyPair holderSigning = SigningKeyPair.generate();
            EncryptionKeyPair holder = EncryptionKeyPair.generate();
            EncryptionKeyPair consumer = EncryptionKeyPair.generate();
            CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), "bench-holder",
                    "bench-issuer", "kyc", System.currentTimeMillis(), 0L);
            Map<String, String> fields = new TreeMap<>(Map.of("country", "DE", "age_over_18", "true"));
            fields.put("document", document(kb * 1024 - 64));
            Credentials.IssuedCredential credential = Credentials.issue(issuer, header, holder.publicKey(), fields);
            int iterations = kb == 1024 ? (quick ? 5 : 20) : (quick ? 20 : 200);
            double grantMs = medianMs(iterations, () -> Grants.grant(holderSigning, holder, header,
                    credential.holderKey(), new Grants.Terms(UUID.randomUUID().toString(), "bench-consumer", "",
                            "benchmark", 0L, 0L, 1, List.of("country", "document")), consumer.publicKey()));
            // The copy model: the holder opens the whole credential and encrypts all of it again for the consumer.
            double copyMs = medianMs(iterations, () -> {
                Map<String, String> opened = Credentials.open(holder, credential);
                StringBuilder all = new StringBuilder();
                opened.forEach((name, value) -> all.append(name).append('=').append(value).append('\n'));
                return Hpke.seal(consumer.publicKey(), INFO, header.credentialId().getBytes(StandardCharsets.UTF_8),
                        all.toString().getBytes(StandardCharsets.UTF_8));
            });
            switch (kb) {
                case 1 -> {
                    results.grantMs1kb = grantMs;
                    results.copyReencryptMs1kb = copyMs;
                }
                case 64 -> {
                    results.grantMs64kb = grantMs;
                    results.copyReencryptMs64kb = copyMs;
                }
                default -> {
                    results.grantMs1mb = grantMs;
                    results.copyReencryptMs1mb = copyMs;
                }
            }
        }
    }

    private static String document(int bytes) {
        byte[] random = new byte[bytes * 3 / 4];
        new Random(bytes).nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
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

    private static double medianMs(int iterations, Supplier<?> op) {
        for (int i = 0; i < Math.min(5, iterations); i++) {
            op.get();
        }
        double[] samples = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long started = System.nanoTime();
            op.get();
            samples[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(samples);
        return samples[iterations / 2];
    }
}

package io.idstream.bench.pipeline;

import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.Hpke;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A grant's cost against credential size, beside the copy model it replaces: for a 1 KB, 64 KB and 1 MB credential,
 * the median time to sign a grant of two fields, and to open the whole credential and re-encrypt all of it for the
 * consumer. A grant wraps field keys only, so its cost should not grow with the credential.
 */
final class GrantCosts {
    private static final byte[] INFO = "idstream/bench/copy".getBytes(StandardCharsets.US_ASCII);
    private static final List<Integer> SIZES_KB = List.of(1, 64, 1024);

    /** Median milliseconds of a grant and of a re-encrypted copy, by credential size. */
    record Figures(BySize grantMs, BySize copyReencryptMs) {
    }

    /** One measure for each credential size. */
    record BySize(double kb1, double kb64, double mb1) {
        String format() {
            return String.format(Locale.ROOT, "%.2f / %.2f / %.2f ms", kb1, kb64, mb1);
        }
    }

    private GrantCosts() {
    }

    static Figures measure(boolean quick) {
        // The first round warms the JIT up for every size; the second is the one reported.
        measureOnce(true);
        return measureOnce(quick);
    }

    private static Figures measureOnce(boolean quick) {
        double[] grantMs = new double[SIZES_KB.size()];
        double[] copyMs = new double[SIZES_KB.size()];
        for (int i = 0; i < SIZES_KB.size(); i++) {
            int kb = SIZES_KB.get(i);
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
            grantMs[i] = medianMs(iterations, () -> Grants.grant(holderSigning, holder, header,
                    credential.holderKey(), new Grants.Terms(UUID.randomUUID().toString(), "bench-consumer", "",
                            "benchmark", 0L, 0L, 0L, 1, List.of("country", "document")), consumer.publicKey()));
            // The copy model: the holder opens the whole credential and encrypts all of it again for the consumer.
            copyMs[i] = medianMs(iterations, () -> {
                Map<String, String> opened = Credentials.open(holder, credential);
                StringBuilder all = new StringBuilder();
                opened.forEach((name, value) -> all.append(name).append('=').append(value).append('\n'));
                return Hpke.seal(consumer.publicKey(), INFO, header.credentialId().getBytes(StandardCharsets.UTF_8),
                        all.toString().getBytes(StandardCharsets.UTF_8));
            });
        }
        return new Figures(new BySize(grantMs[0], grantMs[1], grantMs[2]),
                new BySize(copyMs[0], copyMs[1], copyMs[2]));
    }

    private static String document(int bytes) {
        byte[] random = new byte[bytes * 3 / 4];
        new Random(bytes).nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
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

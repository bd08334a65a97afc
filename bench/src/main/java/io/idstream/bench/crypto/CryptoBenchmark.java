package io.idstream.bench.crypto;

import io.idstream.crypto.Credentials;
import io.idstream.crypto.Delivery;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Grants;
import io.idstream.crypto.Hpke;
import io.idstream.crypto.Sealed;
import io.idstream.crypto.Signatures;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What each protocol step costs on one core, in operations per second. Run:
 * {@code java -jar bench/target/benchmarks.jar CryptoBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class CryptoBenchmark {
    private static final byte[] INFO = "idstream/v1/grant-keys".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SigningKeyPair issuer;
    private SigningKeyPair holder;
    private EncryptionKeyPair holderEncryption;
    private EncryptionKeyPair consumerEncryption;
    private byte[] message;
    private byte[] signature;
    private byte[] keyPackage;
    private Sealed sealedKeyPackage;
    private CredentialHeader header;
    private Map<String, String> tenFields;
    private Credentials.IssuedCredential credential;
    private Grants.Terms threeFields;
    private DeliveryVerifier verifier;
    private Delivery delivery;

    @Setup
    public void setUp() {
        issuer = SigningKeyPair.generate();
        holder = SigningKeyPair.generate();
        holderEncryption = EncryptionKeyPair.generate();
        consumerEncryption = EncryptionKeyPair.generate();
        // A grant TBS is about 300 bytes: the size of what is signed and verified per request.
        message = new byte[300];
        signature = issuer.sign(message);
        keyPackage = new byte[4 + 3 * (4 + 12 + 32)];
        sealedKeyPackage = Hpke.seal(consumerEncryption.publicKey(), INFO, message, keyPackage);

        header = new CredentialHeader(UUID.randomUUID().toString(), "alice", "kyc-co", "kyc", 1L, 0L);
        tenFields = new LinkedHashMap<>();
        for (String name : List.of("full_name", "birth_date", "country", "document_number", "document_type",
                "kyc_level", "age_over_18", "sanctions_clear", "address_city", "nationality")) {
            tenFields.put(name, "value of " + name + " padded to a realistic length");
        }
        credential = Credentials.issue(issuer, header, holderEncryption.publicKey(), tenFields);
        threeFields = new Grants.Terms(UUID.randomUUID().toString(), "exchange-a", "", "onboarding", 0L, 0L, 0L, 0,
                List.of("country", "age_over_18", "kyc_level"));
        Grants.SignedGrant grant = Grants.grant(holder, holderEncryption, header, credential.holderKey(),
                threeFields, consumerEncryption.publicKey());
        verifier = new DeliveryVerifier(consumerEncryption);
        delivery = new Delivery(UUID.randomUUID().toString(), "exchange-a", "alice", "kyc-co",
                header.credentialId(), "kyc", 1L, 0L, credential.commitments(),
                credential.fields().stream().filter(f -> threeFields.fields().contains(f.name()))
                        .map(f -> new Delivery.DisclosedField(f.name(), f.ciphertext())).toList(),
                credential.issuerSignature(),
                new Delivery.GrantTerms(grant.statement().grantId(), "", "onboarding", 0L,
                        grant.statement().fields(), 0L, 0L, 0, grant.statement().keysEnc(),
                        grant.statement().keysCiphertext(), grant.signature()),
                2L);
        if (!verifier.verify(delivery, issuer.publicKey(), holder.publicKey()).verified()) {
            throw new IllegalStateException("the benchmark's delivery does not verify");
        }
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return issuer.sign(message);
    }

    @Benchmark
    public boolean ed25519Verify() {
        return Signatures.isValid(issuer.publicKey(), message, signature);
    }

    @Benchmark
    public Sealed hpkeSeal() {
        return Hpke.seal(consumerEncryption.publicKey(), INFO, message, keyPackage);
    }

    @Benchmark
    public byte[] hpkeOpen() {
        return Hpke.open(consumerEncryption, INFO, message, sealedKeyPackage);
    }

    @Benchmark
    public Credentials.IssuedCredential issueTenFieldCredential() {
        return Credentials.issue(issuer, header, holderEncryption.publicKey(), tenFields);
    }

    @Benchmark
    public Grants.SignedGrant grantThreeFields() {
        return Grants.grant(holder, holderEncryption, header, credential.holderKey(), threeFields,
                consumerEncryption.publicKey());
    }

    @Benchmark
    public DeliveryVerification verifyDelivery() {
        return verifier.verify(delivery, issuer.publicKey(), holder.publicKey());
    }
}

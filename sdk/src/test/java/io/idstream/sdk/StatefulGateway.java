package io.idstream.sdk;

import com.sun.net.httpserver.HttpExchange;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.KeyBackup;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RekeyRecords;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A holder gateway with state, over {@link RecordingGateway}: it takes a request only under the signing key its
 * directory binds to the holder now (401 {@code bad-signature} otherwise, as the gateway answers), applies a
 * registration signed by the bound key (a rotation: the old key kept as a previous key) and a re-key signed by it
 * (the stored credential's sealed key replaced), keeps a backup stored under the bound key (its export tells whether
 * it keeps one), and serves the entry, the vault and no grants. A route can be made
 * to fail once with 500, before or after it takes effect, as a crash of the client or the link would look.
 */
final class StatefulGateway implements AutoCloseable {
    final RecordingGateway server;
    private final String holderId;
    private volatile VerifiedPrincipal entry;
    private final Map<String, StoredCredential> vault = new LinkedHashMap<>();
    /** Per route, the failure to come: at which request of the route, and whether after it took effect. */
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private final Map<String, Integer> requests = new LinkedHashMap<>();
    private final List<Grant> grants;
    private volatile byte[] backup;

    private record Failure(int atRequest, boolean afterTakingEffect) {
    }

    /**
     * A gateway whose directory binds the holder's keys, whose vault holds {@code credentials}, and which serves
     * {@code grants} in force until the holder's key changes (the processors end them then).
     */
    StatefulGateway(Identity holder, List<CredentialIssued> credentials, List<Grant> grants) throws IOException {
        this.grants = List.copyOf(grants);
        this.holderId = holder.id();
        this.entry = new VerifiedPrincipal(PrincipalRecords.registration(holder.signing(),
                new io.idstream.crypto.Statements.PrincipalStatement(holder.id(), "holder",
                        holder.signing().publicKey(), holder.encryption().publicKey(), "Alice", 1_000L)),
                null, 1_000L, null, 0L, List.of());
        credentials.forEach(c -> vault.put(c.getCredentialId(), new StoredCredential(c,
                io.idstream.avro.CredentialStatus.ACTIVE, "", 0L, 2_000L, null, 0L)));
        server = new RecordingGateway();
        String holderPath = "/v1/holders/" + holderId;
        server.answer("GET", "/v1/principals/" + holderId, exchange -> authenticated(exchange, "GET principal",
                () -> RecordingGateway.json(entry)));
        server.answer("GET", holderPath + "/credentials", exchange -> authenticated(exchange, "GET credentials",
                () -> "{\"credentials\":[" + vaultJson() + "]}"));
        server.answer("GET", holderPath + "/grants", exchange -> authenticated(exchange, "GET grants",
                () -> "{\"grants\":[" + (entry.getPreviousKeys().isEmpty() ? grants.stream()
                        .map(grant -> "{\"grant\":" + RecordingGateway.json(grant) + ",\"uses\":0}")
                        .collect(Collectors.joining(",")) : "") + "]}"));
        server.answer("POST", "/v1/holders", exchange -> authenticated(exchange, "POST registration", () -> {
            register(AvroJson.fromJson(GatewayConnection.JSON.readTree(last().body()), Principal.class));
            return "{\"holderId\":\"" + holderId + "\"}";
        }));
        server.answer("PUT", holderPath + "/backup", exchange -> authenticated(exchange, "PUT backup", () -> {
            byte[] sealed = GatewayAnswers.bytes(GatewayConnection.JSON.readTree(last().body()).path("backup")
                    .asText(), "backup");
            if (!KeyBackup.readHeader(sealed).principalId().equals(holderId)) {
                throw new IllegalStateException("another principal's backup");
            }
            backup = sealed;
            return "";
        }));
        server.answer("GET", holderPath + "/export", exchange -> authenticated(exchange, "GET export",
                () -> "{\"holderId\":\"" + holderId + "\",\"backup\":"
                        + (backup == null ? "null" : "{\"storedAt\":2000}") + "}"));
        server.answer("POST", holderPath + "/decisions", exchange -> authenticated(exchange, "POST decision", () -> {
            Object decision = AvroJson.fromJson(GatewayConnection.JSON.readTree(last().body()), DecisionEvent.class)
                    .getDecision();
            rekey((CredentialRekeyed) decision);
            return "{\"accepted\":true}";
        }));
    }

    /**
     * The {@code atRequest}-th request from now to {@code route} ("POST registration", "POST decision", ...) fails
     * with 500, after it took effect if so said.
     */
    synchronized void failAt(String route, int atRequest, boolean afterTakingEffect) {
        failures.put(route, new Failure(atRequest, afterTakingEffect));
        requests.put(route, 0);
    }

    /** The sealed key backup the gateway keeps for the holder, or null when it keeps none. */
    byte[] backup() {
        return backup;
    }

    VerifiedPrincipal entry() {
        return entry;
    }

    synchronized List<StoredCredential> vault() {
        return new ArrayList<>(vault.values());
    }

    URI url() {
        return server.url();
    }

    private RecordingGateway.Received last() {
        return server.received.get(server.received.size() - 1);
    }

    private synchronized String vaultJson() {
        return vault.values().stream().map(RecordingGateway::json).collect(Collectors.joining(","));
    }

    @FunctionalInterface
    private interface Body {
        String get() throws IOException;
    }

    private synchronized void authenticated(HttpExchange exchange, String route, Body body) throws IOException {
        RecordingGateway.Received request = last();
        byte[] bound = PrincipalRecords.signingKey(entry.getPrincipal());
        try {
            MessageSignatures.verify(request.method(), request.targetUri(), request::header,
                    request.body().length == 0 ? null : request.body(),
                    id -> id.equals(holderId) ? Optional.of(bound) : Optional.empty(),
                    Instant.now().getEpochSecond(), 60);
        } catch (SignatureRefused refused) {
            RecordingGateway.send(exchange, 401, error(refused.code()));
            return;
        }
        int count = requests.merge(route, 1, Integer::sum);
        Failure failure = failures.get(route);
        Boolean afterTakingEffect = null;
        if (failure != null && failure.atRequest() == count) {
            failures.remove(route);
            afterTakingEffect = failure.afterTakingEffect();
        }
        if (Boolean.FALSE.equals(afterTakingEffect)) {
            RecordingGateway.send(exchange, 500, error("crashed"));
            return;
        }
        String answer;
        try {
            answer = body.get();
        } catch (CryptoException | IllegalStateException e) {
            RecordingGateway.send(exchange, 400, error("bad-request"));
            return;
        }
        RecordingGateway.send(exchange, afterTakingEffect == null ? 200 : 500,
                afterTakingEffect == null ? answer : error("crashed"));
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + code + "\"}}";
    }

    /** A rotation, as the processors accept one: signed by the key bound now, registered later. */
    private void register(Principal registration) {
        Principal inForce = entry.getPrincipal();
        Decisions.verifyPrincipal(PrincipalRecords.signingKey(inForce), PrincipalRecords.statement(registration),
                AvroBytes.of(registration.getSignature()));
        if (registration.getRegisteredAt() <= inForce.getRegisteredAt()) {
            throw new IllegalStateException("not newer");
        }
        List<PreviousKey> previous = new ArrayList<>(entry.getPreviousKeys());
        if (!Arrays.equals(PrincipalRecords.signingKey(inForce), PrincipalRecords.signingKey(registration))) {
            previous.add(new PreviousKey(inForce.getSigningKey(), inForce.getRegisteredAt(),
                    registration.getRegisteredAt(), null));
        }
        entry = new VerifiedPrincipal(registration, null, registration.getRegisteredAt(), null, 0L, previous);
    }

    /** A re-key, as the processors accept one: signed by the key bound now, sealed to the encryption key bound. */
    private void rekey(CredentialRekeyed rekeyed) {
        RekeyRecords.verify(PrincipalRecords.signingKey(entry.getPrincipal()), rekeyed);
        StoredCredential stored = vault.get(rekeyed.getCredentialId());
        if (stored == null || !Arrays.equals(AvroBytes.of(rekeyed.getEncryptionKey()),
                PrincipalRecords.encryptionKey(entry.getPrincipal()))
                || rekeyed.getRekeyedAt() <= stored.getRekeyedAt()) {
            throw new IllegalStateException("refused");
        }
        CredentialIssued resealed = CredentialIssued.newBuilder(stored.getCredential())
                .setHolderKeyEnc(ByteBuffer.wrap(AvroBytes.of(rekeyed.getHolderKeyEnc())))
                .setHolderKeyCiphertext(ByteBuffer.wrap(AvroBytes.of(rekeyed.getHolderKeyCiphertext()))).build();
        vault.put(rekeyed.getCredentialId(), StoredCredential.newBuilder(stored).setCredential(resealed)
                .setRekeyedAt(rekeyed.getRekeyedAt()).build());
    }

    @Override
    public void close() {
        server.close();
    }
}

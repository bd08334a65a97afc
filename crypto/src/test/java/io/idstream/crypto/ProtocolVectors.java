package io.idstream.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.crypto.Statements.Commitment;
import io.idstream.crypto.Statements.CredentialHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The vectors in {@code vectors/protocol-v1.json}, written by the independent Python implementation in
 * {@code src/test/python}, with helpers to turn them into this module's types.
 */
final class ProtocolVectors {
    static final JsonNode ROOT = load();

    private ProtocolVectors() {
    }

    static JsonNode get(String path) {
        JsonNode node = ROOT;
        for (String part : path.split("\\.")) {
            node = node.get(part);
        }
        return node;
    }

    static byte[] bytes(String path) {
        return Hex.bytes(get(path).asText());
    }

    static String text(String path) {
        return get(path).asText();
    }

    static long number(String path) {
        return get(path).asLong();
    }

    static List<String> strings(String path) {
        List<String> values = new ArrayList<>();
        get(path).forEach(node -> values.add(node.asText()));
        return values;
    }

    static CredentialHeader credentialHeader() {
        return new CredentialHeader(text("credential.credentialId"), text("credential.holderId"),
                text("credential.issuerId"), text("credential.type"), number("credential.issuedAt"),
                number("credential.expiresAt"));
    }

    static List<Commitment> commitments() {
        List<Commitment> commitments = new ArrayList<>();
        get("credential.fields").forEach(f -> commitments.add(new Commitment(f.get("name").asText(),
                Hex.bytes(f.get("commitment").asText()))));
        return commitments;
    }

    static Credentials.IssuedCredential issuedCredential() {
        List<Credentials.SealedField> fields = new ArrayList<>();
        get("credential.fields").forEach(f -> fields.add(new Credentials.SealedField(f.get("name").asText(),
                Hex.bytes(f.get("commitment").asText()), Hex.bytes(f.get("ciphertext").asText()))));
        return new Credentials.IssuedCredential(credentialHeader(), fields,
                new Sealed(bytes("credential.holderKeyEnc"), bytes("credential.holderKeyCiphertext")),
                bytes("credential.issuerSignature"));
    }

    /** The vectors' delivery of the requested fields under the vectors' grant. */
    static Delivery delivery() {
        List<Delivery.DisclosedField> disclosed = new ArrayList<>();
        get("delivery.disclosed").forEach(d -> disclosed.add(new Delivery.DisclosedField(d.get("name").asText(),
                Hex.bytes(d.get("ciphertext").asText()))));
        Delivery.GrantTerms grant = new Delivery.GrantTerms(text("grant.grantId"), text("grant.requestId"),
                text("grant.purpose"), number("grant.issuedAt"), strings("grant.fields"), number("grant.notBefore"),
                number("grant.expiresAt"), number("grant.maxUses"), bytes("grant.keysEnc"),
                bytes("grant.keysCiphertext"), bytes("grant.signature"));
        return new Delivery(text("delivery.requestId"), text("grant.consumerId"), text("credential.holderId"),
                text("credential.issuerId"), text("credential.credentialId"), text("credential.type"),
                number("credential.issuedAt"), number("credential.expiresAt"), commitments(), disclosed,
                bytes("credential.issuerSignature"), grant, number("delivery.deliveredAt"));
    }

    private static JsonNode load() {
        try (InputStream in = ProtocolVectors.class.getResourceAsStream("/vectors/protocol-v1.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

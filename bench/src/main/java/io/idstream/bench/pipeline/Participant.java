package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.EncryptedField;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/** A principal of the benchmark with its own keys, signing its records with the protocol's own code. */
final class Participant {
    final String id;
    final String role;
    final SigningKeyPair signing = SigningKeyPair.generate();
    final EncryptionKeyPair encryption = EncryptionKeyPair.generate();

    Participant(String id, String role) {
        this.id = id;
        this.role = role;
    }

    Principal registration(long at) {
        var statement = new Statements.PrincipalStatement(id, role, signing.publicKey(), encryption.publicKey(), id,
                at);
        return new Principal(id, role, ByteBuffer.wrap(signing.publicKey()), ByteBuffer.wrap(encryption.publicKey()),
                id, at, ByteBuffer.wrap(Decisions.signPrincipal(signing, statement)));
    }

    Accreditation accreditationBy(SigningKeyPair operator, long at) {
        var statement = new Statements.AccreditationStatement(id, role, signing.publicKey(), at);
        return new Accreditation(id, role, ByteBuffer.wrap(signing.publicKey()), at,
                ByteBuffer.wrap(operator.publicKey()), ByteBuffer.wrap(Decisions.signAccreditation(operator,
                statement)));
    }

    static CredentialIssued toAvro(Credentials.IssuedCredential credential) {
        var h = credential.header();
        List<EncryptedField> fields = credential.fields().stream().map(f -> new EncryptedField(f.name(),
                ByteBuffer.wrap(f.commitment()), ByteBuffer.wrap(f.ciphertext()))).toList();
        return new CredentialIssued(h.credentialId(), h.holderId(), h.issuerId(), h.type(), h.issuedAt(),
                h.expiresAt(), fields, ByteBuffer.wrap(credential.holderKey().enc()),
                ByteBuffer.wrap(credential.holderKey().ct()), ByteBuffer.wrap(credential.issuerSignature()));
    }

    /** A request by this consumer for fields of the holder's credential of the type. */
    AccessRequest request(String holderId, String type, List<String> fields, long at) {
        List<String> sorted = Encoding.sorted(fields);
        String requestId = UUID.randomUUID().toString();
        var statement = new Statements.RequestStatement(requestId, id, holderId, type, "", "benchmark", at, sorted);
        return new AccessRequest(requestId, id, holderId, type, "", "benchmark", at, sorted,
                ByteBuffer.wrap(Decisions.signRequest(signing, statement)));
    }

    /** This holder's grant to the consumer: standing when {@code requestId} is empty, else an approval. */
    Grant grant(Participant consumer, Credentials.IssuedCredential credential, String requestId, List<String> fields,
                long at, int maxUses) {
        Grants.SignedGrant signed = Grants.grant(signing, encryption, credential.header(), credential.holderKey(),
                new Grants.Terms(UUID.randomUUID().toString(), consumer.id, requestId, "benchmark", at, 0L, maxUses,
                        fields), consumer.encryption.publicKey());
        var s = signed.statement();
        return new Grant(s.grantId(), s.holderId(), s.consumerId(), s.credentialId(), s.requestId(), s.purpose(),
                s.notBefore(), s.expiresAt(), (int) s.maxUses(), s.fields(), ByteBuffer.wrap(s.keysEnc()),
                ByteBuffer.wrap(s.keysCiphertext()), ByteBuffer.wrap(signed.signature()));
    }
}

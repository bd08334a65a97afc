package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.Grant;
import io.idstream.avro.Principal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.mapping.WriteGrantRecords;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A principal of the benchmark with its own keys. It signs with the protocol's own code and builds its records
 * through the mapping every client uses, so the benchmark sends exactly what a real participant would.
 */
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
        return PrincipalRecords.registration(signing, new PrincipalStatement(id, role, signing.publicKey(),
                encryption.publicKey(), id, at));
    }

    Accreditation accreditationBy(SigningKeyPair operator, long at) {
        return PrincipalRecords.accreditation(operator, new AccreditationStatement(id, role, signing.publicKey(), at));
    }

    /** This holder's consent that the issuer write its credentials of these types for a day from {@code at}. */
    WriteGrant writeGrantTo(Participant issuer, List<String> types, long at) {
        return WriteGrantRecords.writeGrant(signing, UUID.randomUUID().toString(), id, issuer.id, null, types, at,
                at + Duration.ofDays(1).toMillis());
    }

    /** A request by this consumer for fields of the holder's credential of the type. */
    AccessRequest request(String holderId, String type, List<String> fields, long at) {
        return RequestRecords.signed(signing, new RequestStatement(UUID.randomUUID().toString(), id, holderId, type,
                "", "benchmark", at, Encoding.sorted(fields)));
    }

    /** This holder's grant to the consumer: standing when {@code requestId} is empty, else an approval. */
    Grant grant(Participant consumer, Credentials.IssuedCredential credential, String requestId, List<String> fields,
                long at, int maxUses) {
        return GrantRecords.toAvro(Grants.grant(signing, encryption, credential.header(), credential.holderKey(),
                new Grants.Terms(UUID.randomUUID().toString(), consumer.id, requestId, "benchmark", at, at, 0L,
                        maxUses, fields), consumer.encryption.publicKey()));
    }
}

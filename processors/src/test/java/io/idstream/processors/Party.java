package io.idstream.processors;

import io.idstream.avro.Accreditation;
import io.idstream.avro.Principal;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;

/** A principal of the tests, with its own key pairs, able to sign its registration; the integration tests use it too. */
public final class Party {
    public final String id;
    public final String role;
    public final SigningKeyPair signing = SigningKeyPair.generate();
    public final EncryptionKeyPair encryption = EncryptionKeyPair.generate();

    public Party(String id, String role) {
        this.id = id;
        this.role = role;
    }

    public Principal registration(long registeredAt) {
        return PrincipalRecords.registration(signing, new PrincipalStatement(id, role, signing.publicKey(),
                encryption.publicKey(), "Display " + id, registeredAt));
    }

    public Accreditation accreditationBy(SigningKeyPair operator, long accreditedAt) {
        return PrincipalRecords.accreditation(operator, new AccreditationStatement(id, role, signing.publicKey(),
                accreditedAt));
    }
}

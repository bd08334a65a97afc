package io.idstream.processors;

import io.idstream.avro.Accreditation;
import io.idstream.avro.Principal;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;

import java.nio.ByteBuffer;

/** A principal of the tests, with its own key pairs, able to sign its registration. */
final class Party {
    final String id;
    final String role;
    final SigningKeyPair signing = SigningKeyPair.generate();
    final EncryptionKeyPair encryption = EncryptionKeyPair.generate();

    Party(String id, String role) {
        this.id = id;
        this.role = role;
    }

    Principal registration(long registeredAt) {
        PrincipalStatement statement = new PrincipalStatement(id, role, signing.publicKey(), encryption.publicKey(),
                "Display " + id, registeredAt);
        return new Principal(id, role, ByteBuffer.wrap(signing.publicKey()), ByteBuffer.wrap(encryption.publicKey()),
                statement.displayName(), registeredAt, ByteBuffer.wrap(Decisions.signPrincipal(signing, statement)));
    }

    Accreditation accreditationBy(SigningKeyPair operator, long accreditedAt) {
        AccreditationStatement statement = new AccreditationStatement(id, role, signing.publicKey(), accreditedAt);
        return new Accreditation(id, role, ByteBuffer.wrap(signing.publicKey()), accreditedAt,
                ByteBuffer.wrap(operator.publicKey()),
                ByteBuffer.wrap(Decisions.signAccreditation(operator, statement)));
    }
}

package io.idstream.mapping;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.Principal;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;

import java.nio.ByteBuffer;

/**
 * Directory entries (docs/protocol.md section 7) between their Avro records and the signed statements: a principal's
 * self-signed registration ({@link Principal}), an operator's accreditation of it ({@link Accreditation}) and the
 * withdrawal of that accreditation ({@link AccreditationWithdrawn}). The directory processor reads each record's
 * statement here; principals and operators build their records here.
 */
public final class PrincipalRecords {
    private PrincipalRecords() {
    }

    /** The registration the principal signed, as the record carries it. */
    public static PrincipalStatement statement(Principal principal) {
        return new PrincipalStatement(principal.getId(), principal.getRole(), signingKey(principal),
                encryptionKey(principal), principal.getDisplayName(), principal.getRegisteredAt());
    }

    /** A registration, self-signed with the signing key it registers. */
    public static Principal registration(SigningKeyPair principal, PrincipalStatement statement) {
        return new Principal(statement.id(), statement.role(), ByteBuffer.wrap(statement.signingKey()),
                ByteBuffer.wrap(statement.encryptionKey()), statement.displayName(), statement.registeredAt(),
                ByteBuffer.wrap(Decisions.signPrincipal(principal, statement)));
    }

    /** The accreditation the operator signed, as the record carries it. */
    public static AccreditationStatement statement(Accreditation accreditation) {
        return new AccreditationStatement(accreditation.getId(), accreditation.getRole(),
                AvroBytes.of(accreditation.getSigningKey()), accreditation.getAccreditedAt());
    }

    /** An accreditation signed by the operator, naming the operator's public key. */
    public static Accreditation accreditation(SigningKeyPair operator, AccreditationStatement statement) {
        return new Accreditation(statement.id(), statement.role(), ByteBuffer.wrap(statement.signingKey()),
                statement.accreditedAt(), ByteBuffer.wrap(operator.publicKey()),
                ByteBuffer.wrap(Decisions.signAccreditation(operator, statement)));
    }

    /** The withdrawal the operator signed, as the record carries it. */
    public static WithdrawalStatement statement(AccreditationWithdrawn withdrawal) {
        return new WithdrawalStatement(withdrawal.getId(), withdrawal.getRole(),
                AvroBytes.of(withdrawal.getSigningKey()), withdrawal.getWithdrawnAt());
    }

    /** A withdrawal of an accreditation signed by the operator, naming the operator's public key. */
    public static AccreditationWithdrawn withdrawal(SigningKeyPair operator, WithdrawalStatement statement) {
        return new AccreditationWithdrawn(statement.id(), statement.role(), ByteBuffer.wrap(statement.signingKey()),
                statement.withdrawnAt(), ByteBuffer.wrap(operator.publicKey()),
                ByteBuffer.wrap(Decisions.signWithdrawal(operator, statement)));
    }

    /** The principal's registered Ed25519 public key. */
    public static byte[] signingKey(Principal principal) {
        return AvroBytes.of(principal.getSigningKey());
    }

    /** The principal's registered X25519 public key. */
    public static byte[] encryptionKey(Principal principal) {
        return AvroBytes.of(principal.getEncryptionKey());
    }
}

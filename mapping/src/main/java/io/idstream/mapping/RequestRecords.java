package io.idstream.mapping;

import io.idstream.avro.AccessRequest;
import io.idstream.crypto.Decisions;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.RequestStatement;

import java.nio.ByteBuffer;

/**
 * A consumer's access request (docs/protocol.md section 5) between its Avro record and the signed statement: the
 * consumer signs a statement and sends the record {@link #signed} builds; the access processor checks a record with
 * {@link #verify}, over exactly the fields {@link #statement} reads.
 */
public final class RequestRecords {
    private RequestRecords() {
    }

    /** The statement the consumer signed, as the record carries it. */
    public static RequestStatement statement(AccessRequest request) {
        return new RequestStatement(request.getRequestId(), request.getConsumerId(), request.getHolderId(),
                request.getCredentialType(), request.getCredentialId(), request.getPurpose(), request.getCreatedAt(),
                request.getFields());
    }

    /** The record of a statement and the consumer's signature over it. */
    public static AccessRequest toAvro(RequestStatement statement, byte[] signature) {
        return new AccessRequest(statement.requestId(), statement.consumerId(), statement.holderId(),
                statement.credentialType(), statement.credentialId(), statement.purpose(), statement.createdAt(),
                statement.fields(), ByteBuffer.wrap(signature));
    }

    /** Signs the statement with the consumer's key and returns the record to send. */
    public static AccessRequest signed(SigningKeyPair consumer, RequestStatement statement) {
        return toAvro(statement, Decisions.signRequest(consumer, statement));
    }

    /** Checks the consumer's signature over the record; throws {@link io.idstream.crypto.CryptoException}. */
    public static void verify(byte[] consumerSigningKey, AccessRequest request) {
        Decisions.verifyRequest(consumerSigningKey, statement(request), AvroBytes.of(request.getSignature()));
    }
}

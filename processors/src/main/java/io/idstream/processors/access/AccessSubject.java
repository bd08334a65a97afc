package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Grant;

import java.util.List;

/**
 * What a notice or an audit entry is about: the holder, the consumer, the credential, the request, the grant, and
 * (for the audit) the fields and purpose. What does not apply is an empty string or list, as the records' schemas
 * have it.
 */
record AccessSubject(String holderId, String consumerId, String credentialId, String requestId, String grantId,
                     List<String> fields, String purpose) {

    /** A consumer's request, about the credential it resolved to (empty when none did). */
    static AccessSubject ofRequest(AccessRequest request, String credentialId) {
        return new AccessSubject(request.getHolderId(), request.getConsumerId(), credentialId,
                request.getRequestId(), "", request.getFields(), request.getPurpose());
    }

    /** A grant, with the request it answered, if any. */
    static AccessSubject ofGrant(Grant grant) {
        return new AccessSubject(grant.getHolderId(), grant.getConsumerId(), grant.getCredentialId(),
                grant.getRequestId(), grant.getGrantId(), grant.getFields(), grant.getPurpose());
    }

    /** A credential alone, with no consumer involved: its erasure or its revocation by the issuer. */
    static AccessSubject ofCredential(String holderId, String credentialId) {
        return new AccessSubject(holderId, "", credentialId, "", "", List.of(), "");
    }

    AccessSubject withGrant(String grant) {
        return new AccessSubject(holderId, consumerId, credentialId, requestId, grant, fields, purpose);
    }

    AccessSubject withFields(List<String> disclosed) {
        return new AccessSubject(holderId, consumerId, credentialId, requestId, grantId, disclosed, purpose);
    }

    /** The same subject without its request: news about a grant is not news about the request it once answered. */
    AccessSubject withoutRequest() {
        return new AccessSubject(holderId, consumerId, credentialId, "", grantId, fields, purpose);
    }
}

package io.idstream.sdk;

import io.idstream.avro.NoticeKind;
import io.idstream.crypto.DeliveryVerification;

import java.util.Map;
import java.util.TreeSet;

/** What a consumer receives on its delivery topic, after verification. */
public sealed interface DeliveryOutcome permits DeliveryOutcome.Delivered, DeliveryOutcome.Refused,
        DeliveryOutcome.Notice {

    String requestId();

    /** A delivery that passed every check: the granted values, as the issuer signed them. */
    record Delivered(String requestId, String holderId, String issuerId, String credentialId, String grantId,
                     Map<String, String> values) implements DeliveryOutcome {
        /** Names the fields, never their values. */
        @Override
        public String toString() {
            return "Delivered[request=" + requestId + ", holder=" + holderId + ", fields="
                    + new TreeSet<>(values.keySet()) + "]";
        }
    }

    /** A delivery that failed a check, refused whole. */
    record Refused(String requestId, DeliveryVerification.Check failedCheck, String reason)
            implements DeliveryOutcome {
    }

    /**
     * A notice instead of a delivery: pending, denied, revoked, expired, erased, credential revoked, issuer not
     * accredited, or key changed (the grant ended because a key changed: ask the holder again).
     */
    record Notice(String requestId, NoticeKind kind, String holderId, String grantId, String credentialId,
                  String reason) implements DeliveryOutcome {
    }
}

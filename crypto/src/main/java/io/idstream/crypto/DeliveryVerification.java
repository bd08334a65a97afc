package io.idstream.crypto;

import java.util.Map;
import java.util.TreeSet;

/** The outcome of verifying a delivery: either every check passed and here are the values, or which check failed. */
public sealed interface DeliveryVerification permits DeliveryVerification.Verified, DeliveryVerification.Rejected {

    boolean verified();

    /**
     * The checks of docs/protocol.md section 8, in the order they run, plus the shape checks that come first; the
     * last five are run by a consumer's client, not by {@link DeliveryVerifier}, which needs no more than keys.
     */
    enum Check {
        /** Sizes, sort order, and that disclosed and granted fields are among the signed ones. */
        STRUCTURE,
        /** Step 1: the issuer's signature over the credential's header and every commitment. */
        ISSUER_SIGNATURE,
        /** Step 2: the holder's signature over the grant's terms and key package. */
        HOLDER_SIGNATURE,
        /** Step 3: the key package opens with the consumer's key and holds exactly the granted fields. */
        KEY_PACKAGE,
        /** Step 4a: each disclosed field's ciphertext opens with its field key. */
        FIELD_DECRYPTION,
        /** Step 4b: each opened value matches the issuer's signed commitment. */
        COMMITMENT,
        /** The delivery time lies within the grant's window. */
        GRANT_WINDOW,
        /**
         * A consumer's client, after the checks above: the issuer is accredited by an operator key the consumer pins,
         * the accreditation's signature checked by the client itself.
         */
        ISSUER_ACCREDITATION,
        /** A consumer's client: the credential has not expired by the consumer's own clock. */
        CREDENTIAL_EXPIRED,
        /** A consumer's client: the delivery answers a request this consumer sent. */
        UNSOLICITED,
        /** A consumer's client: the request was not answered before by a delivery that passed every check. */
        REPEATED,
        /**
         * A consumer's client, for a notice that ends access: it carries the holder's or issuer's signed statement,
         * about what the notice names, and the signature verifies.
         */
        NOTICE_STATEMENT
    }

    /** Every check passed: the disclosed values, by field name, as the issuer signed them. */
    record Verified(Delivery delivery, Map<String, String> values) implements DeliveryVerification {
        public Verified {
            values = Map.copyOf(values);
        }

        @Override
        public boolean verified() {
            return true;
        }

        /** Names the fields, never their values. */
        @Override
        public String toString() {
            return "Verified[request=" + delivery.requestId() + ", fields=" + new TreeSet<>(values.keySet())
                    + "]";
        }
    }

    /** The delivery was refused as a whole: the check that failed, and why. */
    record Rejected(Check failedCheck, String reason) implements DeliveryVerification {
        @Override
        public boolean verified() {
            return false;
        }
    }
}

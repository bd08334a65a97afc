package io.idstream.bench.pipeline;

import io.idstream.avro.CredentialDelivery;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.mapping.DeliveryRecords;

import java.util.HashMap;
import java.util.Map;

/**
 * Verifies a delivery fully, as the consumer it is for does: the issuer's and the holder's signatures, decryption
 * with the consumer's key, and the decrypted values against the issuer's commitments. Safe to call from the
 * delivery readers' threads at once.
 */
final class ConsumerSideVerifier {
    private final Participants participants;
    private final Map<String, DeliveryVerifier> byConsumer = new HashMap<>();

    ConsumerSideVerifier(Participants participants) {
        this.participants = participants;
        participants.consumers.forEach(consumer -> byConsumer.put(consumer.id,
                new DeliveryVerifier(consumer.encryption)));
    }

    boolean verify(CredentialDelivery delivery) {
        Participant holder = participants.holder(delivery.getHolderId());
        return byConsumer.get(delivery.getConsumerId()).verify(DeliveryRecords.toDelivery(delivery),
                participants.issuer.signing.publicKey(), holder.signing.publicKey()).verified();
    }
}

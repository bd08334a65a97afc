package io.idstream.topics;

import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;

import java.util.List;
import java.util.Map;

/**
 * How much of the cluster one principal may use on a secure cluster, as Kafka client quotas on its user. A consumer
 * may write requests to any holder, so it is held to a produce rate far above what its requests need and to a
 * share of the brokers' request threads: a flood from one consumer is slowed by the broker before it reaches the
 * processors. Issuers write little and are trusted by accreditation; they get none.
 */
public final class ClientQuotas {
    /** A consumer's produce rate: a request is a few hundred bytes, so this is thousands of requests a second. */
    public static final long CONSUMER_PRODUCER_BYTE_RATE = 1024 * 1024;
    /** A consumer's share of one broker request thread's time, in percent (requests and fetches alike). */
    public static final double CONSUMER_REQUEST_PERCENTAGE = 25;

    private ClientQuotas() {
    }

    /** The quotas to set on the principal's Kafka user when it is made; none for a role that has no quota. */
    public static List<ClientQuotaAlteration> forPrincipal(String principalId, String role) {
        if (!role.equals("consumer")) {
            return List.of();
        }
        return List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, principalId)),
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", (double) CONSUMER_PRODUCER_BYTE_RATE),
                        new ClientQuotaAlteration.Op("request_percentage", CONSUMER_REQUEST_PERCENTAGE))));
    }
}

package io.idstream.processors;

/**
 * The consumers' delivery topics as the cluster has them. The directory creates a consumer's topic when the consumer
 * registers, so the consumer never needs the right to create topics; the access processor checks a topic exists
 * before it delivers to it, and creates it again for a registered consumer that has none.
 */
public interface DeliveryTopics {
    /** Starts creating the consumer's delivery topic if it is missing, without waiting for the cluster. */
    void ensure(String consumerId);

    /** Whether the consumer's delivery topic exists. */
    boolean exists(String consumerId);
}

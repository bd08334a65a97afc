package io.idstream.processors;

/**
 * Topics of one principal each that the processors create, as the cluster has them: a consumer's delivery topic, an
 * issuer's notice topic. The directory creates a principal's topic when its first registration is accepted, so the
 * principal never needs the right to create topics; a processor checks the topic exists before it writes to it.
 */
public interface PrincipalTopics {
    /** Starts creating the principal's topic if it is missing, without waiting for the cluster. */
    void ensure(String principalId);

    /** Whether the principal's topic exists. */
    boolean exists(String principalId);
}

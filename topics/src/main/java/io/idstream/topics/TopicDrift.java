package io.idstream.topics;

/**
 * A difference between an existing topic and the catalogue, which the provisioner reports but never alters; for
 * {@link TopicProvisioner#IN_SYNC_REPLICAS}, expected is a partition's replicas and actual how many are in sync.
 */
public record TopicDrift(String topic, String setting, String expected, String actual) {
    public String describe() {
        if (setting.equals(TopicProvisioner.IN_SYNC_REPLICAS)) {
            return "topic " + topic + " has a partition with " + actual + " in-sync replicas of its " + expected
                    + ": under-replicated while a broker is away or behind";
        }
        return "topic " + topic + " has " + setting + "=" + actual + " but the catalogue says " + expected;
    }
}

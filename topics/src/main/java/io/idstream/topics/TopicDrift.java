package io.idstream.topics;

/** A difference between an existing topic and the catalogue, which the provisioner reports but never alters. */
public record TopicDrift(String topic, String setting, String expected, String actual) {
    public String describe() {
        return "topic " + topic + " has " + setting + "=" + actual + " but the catalogue says " + expected;
    }
}

package io.idstream.sdk;

/**
 * A record a client read past without using it: one that does not decode as its topic's value, or a pending request
 * that does not verify (docs/protocol.md sections 9 and 12). Where it is and why; never its bytes. What a holder read
 * from the gateway is placed by the URL it was read at as the topic, partition 0, and its index in that answer.
 */
public record SkippedRecord(String topic, int partition, long offset, String reason) {
    /** Where the record is, as the log and a consumer's refusal name it. */
    public String position() {
        return "offset " + offset + " of " + topic + " partition " + partition;
    }
}

package io.idstream.platform.growth;

import io.idstream.topics.TopicGeneration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What must hold before a growth starts; each refusal is one line naming the reason. */
final class GrowthGuard {
    private GrowthGuard() {
    }

    /**
     * Refuses a count that is not a multiple above the current one: then each new partition takes the records of
     * exactly one old one, so that a holder's history is copied from one ordered source.
     */
    static void requireMultiple(TopicGeneration current, int partitions) {
        if (partitions <= current.partitions()) {
            throw new GrowthRefusedException("cannot grow to " + partitions + " partitions: " + current
                    + " has " + current.partitions() + " already, and the count only grows");
        }
        if (partitions % current.partitions() != 0) {
            throw new GrowthRefusedException("cannot grow from " + current.partitions() + " to " + partitions
                    + " partitions: " + partitions + " is not a multiple of " + current.partitions()
                    + ", and each new partition must take the records of exactly one old one so that a holder's "
                    + "history stays in one ordered source");
        }
        if (partitions > TopicGeneration.MAX_PARTITIONS) {
            throw new GrowthRefusedException("cannot grow to " + partitions + " partitions: at most "
                    + TopicGeneration.MAX_PARTITIONS);
        }
    }

    /** Refuses while any of the groups has members: the processors and gateways must be stopped. */
    static void requireStopped(Admin admin, List<String> groups, Duration timeout) {
        for (String group : groups) {
            int members = members(admin, group, timeout);
            if (members > 0) {
                throw new GrowthRefusedException("cannot grow while the consumer group " + group + " has "
                        + members + (members == 1 ? " member" : " members")
                        + ": stop the processors and the gateways first");
            }
        }
    }

    /**
     * Refuses when a topic of the current generation has another partition count than the generation says: its
     * records would not all be copied, or not to their holders' partitions.
     */
    static void requirePartitions(Admin admin, List<String> topics, int partitions, Duration timeout) {
        Map<String, TopicDescription> described = AdminCalls.await(admin.describeTopics(topics).allTopicNames(),
                timeout, "describe the topics " + topics);
        for (String topic : topics) {
            int found = described.get(topic).partitions().size();
            if (found != partitions) {
                throw new GrowthRefusedException("cannot grow: the topic " + topic + " has " + found
                        + " partitions, not the " + partitions + " of its generation");
            }
        }
    }

    private static int members(Admin admin, String group, Duration timeout) {
        Map<String, ConsumerGroupDescription> described = AdminCalls.await(
                admin.describeConsumerGroups(List.of(group)).all(), timeout, "describe the consumer group " + group,
                GroupIdNotFoundException.class, Map.of());
        return described.containsKey(group) ? described.get(group).members().size() : 0;
    }
}

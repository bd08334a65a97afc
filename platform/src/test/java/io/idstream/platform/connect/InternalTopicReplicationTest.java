package io.idstream.platform.connect;

import io.idstream.topics.Replication;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Connect worker's own topics are replicated as provisioning resolved, as Connect itself reads its config. */
@Timeout(120)
class InternalTopicReplicationTest {
    private static DistributedConfig worker(Replication replication) {
        Map<String, String> settings = new HashMap<>(EmbeddedConnect.internalTopicReplication(replication));
        settings.put("bootstrap.servers", "broker-1:9092");
        settings.put("group.id", EmbeddedConnect.GROUP_ID);
        settings.put("config.storage.topic", EmbeddedConnect.CONFIG_TOPIC);
        settings.put("offset.storage.topic", EmbeddedConnect.OFFSET_TOPIC);
        settings.put("status.storage.topic", EmbeddedConnect.STATUS_TOPIC);
        settings.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        settings.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        return new DistributedConfig(settings);
    }

    @Test
    void onThreeReplicasEachInternalTopicHasThreeAndAMinIsrOfTwo() {
        DistributedConfig worker = worker(Replication.of((short) 3));

        for (String storage : new String[] {"config", "offset", "status"}) {
            assertThat(worker.getShort(storage + ".storage.replication.factor")).as(storage).isEqualTo((short) 3);
        }
        assertThat(worker.configStorageTopicSettings()).containsEntry("min.insync.replicas", "2");
        assertThat(worker.offsetStorageTopicSettings()).containsEntry("min.insync.replicas", "2");
        assertThat(worker.statusStorageTopicSettings()).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void onOneBrokerEachInternalTopicHasOneReplicaAndTheBrokersMinIsr() {
        DistributedConfig worker = worker(Replication.of((short) 1));

        assertThat(worker.getShort("config.storage.replication.factor")).isEqualTo((short) 1);
        assertThat(worker.configStorageTopicSettings()).doesNotContainKey("min.insync.replicas");
    }
}

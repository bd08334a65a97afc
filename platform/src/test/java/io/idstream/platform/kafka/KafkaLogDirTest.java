package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Kafka dir formatted for one shape of cluster never starts as another: each refusal names the way out. */
class KafkaLogDirTest {
    @TempDir
    Path dir;

    @Test
    void aSingleNodeDirIsRefusedAsAClusterOfThree() {
        Path kafkaDir = dir.resolve("kafka");
        KafkaLogDir.formatSingleNode(kafkaDir, null);

        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(kafkaDir, KafkaClusterLayout.consecutive(3, 0), null))
                .isInstanceOf(PlatformException.class)
                .hasMessage("data dir " + kafkaDir + " holds a single Kafka node, not a cluster of 3; start it with "
                        + "--nodes 1, or choose another --data-dir");
        assertThat(kafkaDir.resolve("node-1")).doesNotExist();
    }

    @Test
    void aClusterDirIsRefusedAsASingleNode() {
        Path kafkaDir = formatCluster("kafka", 3);

        assertThatThrownBy(() -> EmbeddedKafka.start(kafkaDir, Ports.freePort(), Ports.freePort()))
                .isInstanceOf(PlatformException.class)
                .hasMessage("data dir " + kafkaDir + " holds a Kafka cluster of 3 nodes, not a single node; start "
                        + "it with --nodes 3, or choose another --data-dir");
        assertThat(kafkaDir.resolve("meta.properties")).doesNotExist();
    }

    @Test
    void aClusterDirIsRefusedAsAClusterOfAnotherSize() {
        Path kafkaDir = formatCluster("kafka", 3);

        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(kafkaDir, KafkaClusterLayout.consecutive(2, 0), null))
                .hasMessage("data dir " + kafkaDir + " holds a Kafka cluster of 3 nodes, not 2; start it with "
                        + "--nodes 3, or choose another --data-dir");
        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(kafkaDir, KafkaClusterLayout.consecutive(5, 0), null))
                .hasMessage("data dir " + kafkaDir + " holds a Kafka cluster of 3 nodes, not 5; start it with "
                        + "--nodes 3, or choose another --data-dir");
        assertThat(kafkaDir.resolve("node-4")).doesNotExist();
    }

    @Test
    void aNodeDirOfAnotherClusterIsRefused() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        Path otherDir = formatCluster("other", 3);
        Files.copy(otherDir.resolve("node-2").resolve("meta.properties"),
                kafkaDir.resolve("node-2").resolve("meta.properties"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> EmbeddedKafkaCluster.start(kafkaDir, KafkaClusterLayout.consecutive(3, 0), null))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("data dir " + kafkaDir.resolve("node-2") + " belongs to another Kafka "
                        + "cluster (cluster.id=" + Files.readString(otherDir.resolve("cluster.id")).strip()
                        + ", node.id=2)");
    }

    @Test
    void everyNodeOfAClusterSharesTheIdWrittenFirst() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        String clusterId = Files.readString(kafkaDir.resolve("cluster.id")).strip();

        assertThat(KafkaLogDir.clusterId(kafkaDir, 3, false)).isEqualTo(clusterId);
        for (int id = 1; id <= 3; id++) {
            assertThat(Files.readString(kafkaDir.resolve("node-" + id).resolve("meta.properties")))
                    .contains("cluster.id=" + clusterId, "node.id=" + id);
        }
    }

    private Path formatCluster(String name, int nodes) {
        Path kafkaDir = dir.resolve(name);
        String clusterId = KafkaLogDir.clusterId(kafkaDir, nodes, true);
        for (int id = 1; id <= nodes; id++) {
            KafkaLogDir.formatIfNew(KafkaLogDir.nodeDir(kafkaDir, id), id, clusterId, null);
        }
        return kafkaDir;
    }
}

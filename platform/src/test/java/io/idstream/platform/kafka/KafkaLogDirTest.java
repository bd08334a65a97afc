package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

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
        assertThatThrownBy(() -> KafkaLogDir.formatCluster(kafkaDir, 5, null))
                .hasMessageContaining("without node-4, node-5")
                .hasMessageContaining("start it with --nodes 3 if it was made with 3, restore the missing node dirs, "
                        + "or choose another --data-dir");
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

        assertThat(KafkaLogDir.clusterId(kafkaDir, 3)).isEqualTo(clusterId);
        for (int id = 1; id <= 3; id++) {
            assertThat(Files.readString(kafkaDir.resolve("node-" + id).resolve("meta.properties")))
                    .contains("cluster.id=" + clusterId, "node.id=" + id);
        }
    }

    @Test
    void aLostNodeDirIsRefusedNotFormattedAgain() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        String clusterId = Files.readString(kafkaDir.resolve("cluster.id")).strip();
        deleteRecursively(kafkaDir.resolve("node-2"));

        assertThatThrownBy(() -> KafkaLogDir.formatCluster(kafkaDir, 3, null))
                .isInstanceOf(PlatformException.class)
                .hasMessage("data dir " + kafkaDir + " holds Kafka cluster " + clusterId + " without node-2: a node "
                        + "of an existing cluster is never formatted again, since one that forgot its KRaft vote "
                        + "could vote twice; restore the missing node dirs, or choose another --data-dir");
        assertThat(kafkaDir.resolve("node-2")).doesNotExist();
    }

    @Test
    void anEmptiedNodeDirIsRefusedToo() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        deleteRecursively(kafkaDir.resolve("node-3"));
        Files.createDirectories(kafkaDir.resolve("node-3"));

        assertThatThrownBy(() -> KafkaLogDir.formatCluster(kafkaDir, 3, null))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining(" without node-3: ").hasMessageEndingWith("or choose another --data-dir");
        assertThat(kafkaDir.resolve("node-3")).isEmptyDirectory();
    }

    @Test
    void aClusterIdFileThatHoldsNoClusterIdIsRefused() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        Files.writeString(kafkaDir.resolve("cluster.id"), "not-a-cluster-id\n");

        assertThatThrownBy(() -> KafkaLogDir.formatCluster(kafkaDir, 3, null))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith(kafkaDir.resolve("cluster.id") + " holds no Kafka cluster id (")
                .hasMessageEndingWith("); restore it from a node's meta.properties, or choose another --data-dir");
    }

    @Test
    void aLostClusterIdFileIsTakenFromTheNodeDirs() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        String clusterId = Files.readString(kafkaDir.resolve("cluster.id")).strip();
        Files.delete(kafkaDir.resolve("cluster.id"));

        assertThat(KafkaLogDir.formatCluster(kafkaDir, 3, null)).isEqualTo(clusterId);
        assertThat(Files.readString(kafkaDir.resolve("cluster.id")).strip()).isEqualTo(clusterId);
    }

    @Test
    void aClusterIdWithoutNodeDirsIsRefusedAsASingleNodeWithoutANodeCount() throws IOException {
        Path kafkaDir = formatCluster("kafka", 3);
        for (int id = 1; id <= 3; id++) {
            deleteRecursively(kafkaDir.resolve("node-" + id));
        }

        assertThatThrownBy(() -> KafkaLogDir.formatSingleNode(kafkaDir, null))
                .isInstanceOf(PlatformException.class)
                .hasMessage("data dir " + kafkaDir + " holds the cluster.id of a Kafka cluster whose node dirs are "
                        + "all missing, not a single node; restore them, or choose another --data-dir");
        assertThat(kafkaDir.resolve("meta.properties")).doesNotExist();
    }

    private Path formatCluster(String name, int nodes) {
        Path kafkaDir = dir.resolve(name);
        KafkaLogDir.formatCluster(kafkaDir, nodes, null);
        return kafkaDir;
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}

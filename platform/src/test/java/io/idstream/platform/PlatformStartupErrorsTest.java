package io.idstream.platform;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each way a start can be refused says so in one line that names the cause, before any server half-starts. */
class PlatformStartupErrorsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({PlatformConfig.KAFKA_PORT + ", --kafka-port", PlatformConfig.REGISTRY_PORT + ", --registry-port"})
    void portInUseNamesItsOption(String key, String option) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir.resolve("data")));
            settings.put(key, taken.getLocalPort());
            assertThatThrownBy(() -> Platform.start(new PlatformConfig(settings)))
                    .isInstanceOf(PlatformException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (" + option + ")");
        }
    }

    @Test
    void gatewayPortInUseNamesItsOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir.resolve("data")));
            settings.put(PlatformConfig.GATEWAY_ENABLED, true);
            settings.put(PlatformConfig.GATEWAY_PORT, taken.getLocalPort());
            assertThatThrownBy(() -> Platform.start(new PlatformConfig(settings)))
                    .isInstanceOf(PlatformException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (--gateway-port)");
        }
    }

    @Test
    void dataDirThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> TestPlatforms.start(file.resolve("data")))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("data dir " + file.resolve("data")).hasMessageContaining("cannot be created");
    }

    @Test
    void dataDirThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        assertThatThrownBy(() -> TestPlatforms.start(file))
                .isInstanceOf(PlatformException.class).hasMessageContaining("data dir " + file);
    }

    @Test
    void dataDirOfAnotherKafkaNode() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("kafka"));
        Files.writeString(data.resolve("kafka/meta.properties"),
                "version=1\ncluster.id=q1Sh-9_ISia_zwGINzRvyQ\nnode.id=7\n");
        assertThatThrownBy(() -> TestPlatforms.start(data))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("belongs to another Kafka cluster")
                .hasMessageContaining("q1Sh-9_ISia_zwGINzRvyQ");
    }

    @Test
    void dataDirThatIsARawKafkaLogDir() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("meta.properties"), "version=1\ncluster.id=q1Sh-9_ISia_zwGINzRvyQ\nnode.id=1\n");
        assertThatThrownBy(() -> TestPlatforms.start(data))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("log dir of another Kafka cluster");
    }

    @Test
    void dataDirWithForeignFilesIsNotFormatted() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("kafka"));
        Path foreign = Files.writeString(data.resolve("kafka/notes.txt"), "someone's files");
        assertThatThrownBy(() -> TestPlatforms.start(data))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("is not empty and holds no Kafka cluster");
        assertThat(foreign).hasContent("someone's files");
    }

    @Test
    void dataDirInUseByAnotherPlatform() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (FileChannel channel = FileChannel.open(data.resolve("platform.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.lock(); // held until the channel closes
            assertThatThrownBy(() -> TestPlatforms.start(data))
                    .isInstanceOf(PlatformException.class)
                    .hasMessage("data dir " + data + " is in use by another idstream platform");
        }
    }

    @Test
    void badSettingNamesItsKey() {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir));
        settings.put(PlatformConfig.KAFKA_PORT, 70_000);
        assertThatThrownBy(() -> new PlatformConfig(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(PlatformConfig.KAFKA_PORT);
    }

    @ParameterizedTest
    @CsvSource({"0", "2", "4", "6"})
    void nodesOtherThanOneThreeOrFiveNamesItsKey(int nodes) {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir));
        settings.put(PlatformConfig.NODES, nodes);
        assertThatThrownBy(() -> new PlatformConfig(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value " + nodes + " for configuration " + PlatformConfig.NODES + ": must be 1, 3 "
                        + "or 5: a quorum of 2 or 4 controllers survives no more failures than one of 1 or 3");
    }

    @Test
    void aLaterNodesPortInUseNamesTheKafkaPort() throws IOException {
        Map<String, Object> settings = TestPlatforms.clusterSettings(dir.resolve("data"), 3);
        int thirdPort = (int) settings.get(PlatformConfig.KAFKA_PORT) + 2;
        try (ServerSocket taken = new ServerSocket(thirdPort, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Platform.start(new PlatformConfig(settings)))
                    .isInstanceOf(PlatformException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (--kafka-port)");
        }
        assertThat(dir.resolve("data").resolve("kafka")).doesNotExist();
    }

    @Test
    void aLaterNodesControllerPortInUseNamesItsKey() throws IOException {
        Map<String, Object> settings = TestPlatforms.clusterSettings(dir.resolve("data"), 3);
        int kafkaPort = (int) settings.get(PlatformConfig.KAFKA_PORT);
        int controllerPort = Ports.freeConsecutivePorts(3);
        while (Math.abs(controllerPort - kafkaPort) < 3) {
            controllerPort = Ports.freeConsecutivePorts(3);
        }
        settings.put(PlatformConfig.CONTROLLER_PORT, controllerPort);
        try (ServerSocket taken = new ServerSocket(controllerPort + 2, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Platform.start(new PlatformConfig(settings)))
                    .isInstanceOf(PlatformException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use ("
                            + PlatformConfig.CONTROLLER_PORT + ")");
        }
        assertThat(dir.resolve("data").resolve("kafka")).doesNotExist();
    }

    @Test
    void controllerPortsOverlappingTheKafkaPortsAreRefused() {
        Map<String, Object> settings = TestPlatforms.clusterSettings(dir.resolve("data"), 3);
        int kafkaPort = (int) settings.get(PlatformConfig.KAFKA_PORT);
        settings.put(PlatformConfig.CONTROLLER_PORT, kafkaPort + 2);
        assertThatThrownBy(() -> Platform.start(new PlatformConfig(settings)))
                .isInstanceOf(PlatformException.class)
                .hasMessage(PlatformConfig.CONTROLLER_PORT + " " + (kafkaPort + 2) + " and --kafka-port " + kafkaPort
                        + " give 3 nodes (--nodes) overlapping ports");
        assertThat(dir.resolve("data").resolve("kafka")).doesNotExist();
    }
}

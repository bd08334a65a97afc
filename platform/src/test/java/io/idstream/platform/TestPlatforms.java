package io.idstream.platform;

import java.nio.file.Path;
import java.util.Map;

/** Starts platforms for tests: a data dir of the test's own, free ports on 127.0.0.1. */
public final class TestPlatforms {
    private TestPlatforms() {
    }

    /** Kafka and the registry only: what most platform tests need, without the processors' start-up time. */
    public static Map<String, Object> settings(Path dataDir) {
        return Map.of(
                PlatformConfig.DATA_DIR, dataDir.toString(),
                PlatformConfig.KAFKA_PORT, Ports.freePort(),
                PlatformConfig.REGISTRY_PORT, 0,
                PlatformConfig.PROCESSORS_ENABLED, false);
    }

    /** As {@link #settings}, on a Kafka cluster of {@code nodes} nodes on consecutive free ports. */
    public static Map<String, Object> clusterSettings(Path dataDir, int nodes) {
        Map<String, Object> settings = new java.util.HashMap<>(settings(dataDir));
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freeConsecutivePorts(nodes));
        settings.put(PlatformConfig.NODES, nodes);
        return settings;
    }

    public static Platform start(Path dataDir) {
        return Platform.start(new PlatformConfig(settings(dataDir)));
    }

    /** The whole platform, processors included. */
    public static Platform startWithProcessors(Path dataDir) {
        Map<String, Object> settings = new java.util.HashMap<>(settings(dataDir));
        settings.put(PlatformConfig.PROCESSORS_ENABLED, true);
        return Platform.start(new PlatformConfig(settings));
    }
}

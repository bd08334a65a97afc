package io.idstream.platform;

import java.nio.file.Path;
import java.util.Map;

/** Starts platforms for tests: a data dir of the test's own, free ports on 127.0.0.1. */
public final class TestPlatforms {
    private TestPlatforms() {
    }

    public static Map<String, Object> settings(Path dataDir) {
        return Map.of(
                PlatformConfig.DATA_DIR, dataDir.toString(),
                PlatformConfig.KAFKA_PORT, Ports.freePort(),
                PlatformConfig.REGISTRY_PORT, 0);
    }

    public static Platform start(Path dataDir) {
        return Platform.start(new PlatformConfig(settings(dataDir)));
    }
}

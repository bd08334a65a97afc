package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An embedded platform for one IT class: data in {@code dir/data}, Kafka on a free port, the registry on any. */
final class TestPlatform {
    private TestPlatform() {
    }

    static Platform start(Path dir) {
        return start(dir, false);
    }

    /** With {@code secure}, clients authenticate by SCRAM and are authorized by ACLs. */
    static Platform start(Path dir, boolean secure) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PlatformConfig.DATA_DIR, dir.resolve("data").toString());
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freePort());
        settings.put(PlatformConfig.REGISTRY_PORT, 0);
        settings.put(PlatformConfig.SECURE, secure);
        return Platform.start(new PlatformConfig(settings));
    }

    /**
     * Closes what an IT class opened, in the order given (the wallet, then its clients, then the platform), skipping
     * what a failed start left null.
     */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                resource.close();
            }
        }
    }
}

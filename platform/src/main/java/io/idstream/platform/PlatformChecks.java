package io.idstream.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** What the platform's settings and data dir must allow before a server starts. */
final class PlatformChecks {
    private PlatformChecks() {
    }

    /** Refuses ports in use and a missing plugin path before any server starts, naming the option. */
    static void requireUsable(PlatformConfig config) {
        PlatformKafka.requireFreePorts(config);
        if (config.registryPort() != 0) {
            Ports.requireFree(config.registryPort(), "--registry-port");
        }
        if (config.connectEnabled() && config.connectPort() != 0) {
            Ports.requireFree(config.connectPort(), "--connect-port");
        }
        if (config.gatewayEnabled() && config.gatewayPort() != 0) {
            Ports.requireFree(config.gatewayPort(), "--gateway-port");
        }
        if (config.connectEnabled() && config.connectPluginPath() != null
                && !Files.isDirectory(config.connectPluginPath())) {
            throw new PlatformException("Connect plugin path " + config.connectPluginPath()
                    + " is not a directory (" + PlatformConfig.CONNECT_PLUGIN_PATH + ")");
        }
    }

    /** {@code dir}, made mode 700 if it is not there yet. */
    static Path privateDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new PlatformException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }
}

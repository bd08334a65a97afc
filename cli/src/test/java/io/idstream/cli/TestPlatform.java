package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded platform for one IT class: data in {@code dir/data}, Kafka on a free port, the registry and the holder
 * gateway on any.
 */
final class TestPlatform {
    private TestPlatform() {
    }

    static Platform start(Path dir) {
        return start(dir, false);
    }

    /** With {@code secure}, clients authenticate by SCRAM and are authorized by ACLs. */
    static Platform start(Path dir, boolean secure) {
        return Platform.start(new PlatformConfig(settings(dir, secure)));
    }

    /** On {@code nodes} Kafka nodes, on consecutive free ports. */
    static Platform startCluster(Path dir, int nodes) {
        Map<String, Object> settings = settings(dir, false);
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freeConsecutivePorts(nodes));
        settings.put(PlatformConfig.NODES, nodes);
        return Platform.start(new PlatformConfig(settings));
    }

    static Map<String, Object> settings(Path dir, boolean secure) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PlatformConfig.DATA_DIR, dir.resolve("data").toString());
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freePort());
        settings.put(PlatformConfig.REGISTRY_PORT, 0);
        settings.put(PlatformConfig.SECURE, secure);
        settings.put(PlatformConfig.GATEWAY_ENABLED, true);
        settings.put(PlatformConfig.GATEWAY_PORT, 0);
        return settings;
    }

    /**
     * The holder {@code identity} on {@code platform}'s holder gateway, as the holder's commands and the wallet
     * reach it: no Kafka credentials, the platform's operator key pinned.
     */
    static HolderClient holder(Platform platform, Identity identity) {
        return new HolderClient(identity, connection(platform, identity),
                ConsumerTrust.forHolder(List.of(platform.operatorKey().publicKey())));
    }

    /** A signed connection to {@code platform}'s gateway as {@code identity}. */
    static GatewayConnection connection(Platform platform, Identity identity) {
        return new GatewayConnection(platform.gatewayUrl(), identity, null, Duration.ofSeconds(30));
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

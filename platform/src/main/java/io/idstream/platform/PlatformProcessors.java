package io.idstream.platform;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StreamsResilience;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** The settings of the platform's processors. */
final class PlatformProcessors {
    /** The processors' configured application id; a later generation's is suffixed with it. */
    static final String APPLICATION_ID =
            (String) ProcessorsConfig.DEFINITION.defaultValues().get(ProcessorsConfig.APPLICATION_ID);

    private PlatformProcessors() {
    }

    /** The catalogue's settings (not the platform's own) and this platform's broker, state dir and operator key. */
    static ProcessorsConfig config(PlatformConfig config, PlatformKafka kafka, Map<String, Object> catalogConfigs,
                                   SigningKeyPair operatorKey) {
        Map<String, Object> processorSettings = new HashMap<>(catalogConfigs);
        processorSettings.keySet().removeIf(key -> key.startsWith("idstream.") && !key.startsWith("idstream.topic."));
        processorSettings.putAll(kafka.clientConfigs());
        processorSettings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        processorSettings.put(ProcessorsConfig.STATE_DIR, config.dataDir().resolve("streams").toString());
        processorSettings.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operatorKey.publicKey()));
        processorSettings.put(ProcessorsConfig.METRICS_PORT, config.metricsPort());
        // One instance in this process: a standby has nowhere to go, and Streams would warn so for every task.
        processorSettings.put(StreamsResilience.NUM_STANDBY_REPLICAS, 0);
        return new ProcessorsConfig(processorSettings);
    }
}

package io.idstream.cli;

import io.idstream.gateway.GatewayConfig;
import io.idstream.platform.gateway.GatewayInstance;
import io.idstream.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code idstream gateway}: runs one holder gateway instance against an existing cluster (the processors' topics and
 * registry) until Ctrl-C or SIGTERM, and prints {@code gateway.url=<url>} on stdout. Settings come from the Kafka
 * client properties of {@code --command-config} (security, the registry's login and truststore), then the gateway
 * settings of {@code --config} (any {@code GatewayConfig} key, such as {@code application.id} or
 * {@code idstream.gateway.advertised.host}), then the options, each overriding what came before. Instances started
 * with the same {@code application.id} share the holders between them and forward requests to each other.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run a holder gateway (the holders' HTTP API) against an existing cluster until Ctrl-C or "
                + "SIGTERM.")
final class GatewayCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** Each option that is a gateway setting, with the setting's key: the options name the key in its errors. */
    private static final Map<String, String> SETTINGS = Map.of(
            "--bootstrap-servers", GatewayConfig.BOOTSTRAP_SERVERS,
            "--schema-registry-url", AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "--port", GatewayConfig.PORT,
            "--state-dir", GatewayConfig.STATE_DIR,
            "--operator-keys", GatewayConfig.OPERATOR_KEYS);

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Kafka bootstrap servers (default: 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema Registry URL (default: http://127.0.0.1:8081).")
    String schemaRegistryUrl;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (security, the registry's login and truststore), as for Kafka's "
                    + "own tools.")
    Path commandConfig;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Gateway settings (application.id, idstream.gateway.listen.host, "
                    + "idstream.gateway.advertised.host and the like), one key=value a line.")
    Path config;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The HTTP API's port; 0 picks a free one (default: 8090).")
    Integer port;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Directory of the gateway's state stores (default: ./.idstream/gateway).")
    String stateDir;

    @Option(names = "--operator-keys", paramLabel = "HEX[,HEX]",
            description = "Operator public keys whose accreditations the gateway trusts as it loads the verified "
                    + "directory, 64 hex digits each, as the processors are given (default: idstream.operator.keys "
                    + "of the files).")
    String operatorKeys;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig gatewayConfig = parse(settings());

        GatewayInstance gateway = GatewayInstance.start(gatewayConfig, READY_TIMEOUT);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            spec.commandLine().getErr().println("idstream gateway: stopped");
            spec.commandLine().getErr().flush();
            stopped.countDown();
        }, "idstream-gateway-shutdown"));

        PrintWriter out = spec.commandLine().getOut();
        out.println("gateway.url=" + gateway.url());
        out.flush();
        spec.commandLine().getErr().println("idstream gateway: up; Ctrl-C to stop");
        spec.commandLine().getErr().flush();
        stopped.await();
        return IdstreamCommand.EXIT_OK;
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
        settings.put(GatewayConfig.STATE_DIR, "./.idstream/gateway");
        load(commandConfig, "--command-config", settings);
        load(config, "--config", settings);
        SETTINGS.forEach((option, key) -> {
            Object value = spec.findOption(option).getValue();
            if (value != null) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    private void load(Path file, String option, Map<String, Object> settings) {
        if (file == null) {
            return;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + option + " " + file + ": "
                    + e.getMessage());
        }
        properties.forEach((key, value) -> settings.put((String) key, value));
    }

    /** A setting out of range is a usage error that names the option when an option gave it. */
    private GatewayConfig parse(Map<String, Object> settings) {
        try {
            return new GatewayConfig(settings);
        } catch (ConfigException e) {
            String message = e.getMessage();
            for (Map.Entry<String, String> setting : SETTINGS.entrySet()) {
                if (spec.findOption(setting.getKey()).getValue() != null) {
                    message = message.replace(setting.getValue(), setting.getKey());
                }
            }
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}

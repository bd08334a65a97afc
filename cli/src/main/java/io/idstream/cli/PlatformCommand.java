package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code idstream platform}: runs the embedded default (Kafka broker, Schema Registry, provisioned topics, the
 * processors and the holder gateway) until Ctrl-C or SIGTERM. Prints the settings clients need on stdout, one
 * {@code key=value} a line, so a script can read them.
 */
@Command(name = "platform", mixinStandardHelpOptions = true, defaultValueProvider = PlatformCommand.Defaults.class,
        description = "Run the embedded platform (Kafka broker, Schema Registry, topics, processors, the holder "
                + "gateway; with --connect a Connect worker) until Ctrl-C or SIGTERM.")
final class PlatformCommand implements Callable<Integer> {
    /** Each option that is a platform setting, with the setting's key: the options name the key in its errors. */
    private static final Map<String, String> SETTINGS = Map.of("--data-dir", PlatformConfig.DATA_DIR,
            "--kafka-port", PlatformConfig.KAFKA_PORT, "--registry-port", PlatformConfig.REGISTRY_PORT,
            "--metrics-port", PlatformConfig.METRICS_PORT, "--secure", PlatformConfig.SECURE,
            "--connect", PlatformConfig.CONNECT_ENABLED, "--connect-port", PlatformConfig.CONNECT_PORT,
            "--connect-plugin-path", PlatformConfig.CONNECT_PLUGIN_PATH,
            "--gateway-port", PlatformConfig.GATEWAY_PORT, "--nodes", PlatformConfig.NODES);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the broker's data, kept across restarts (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT",
            description = "Kafka listener port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT",
            description = "Schema Registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--secure", description = "Serve TLS only, with a CA of the data dir's own, authenticate clients "
            + "with SASL/SCRAM-SHA-512 and authorize them by ACLs; prints the paths of the operator's client properties "
            + "(for --command-config) and of the CA certificate clients trust. Chosen when the data dir is created.")
    boolean secure;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the processors' Prometheus /metrics and /health on this port of 127.0.0.1 "
                    + "(default: none).")
    int metricsPort;

    @Option(names = "--connect", description = "Also run a Kafka Connect worker with the webhook sink on its path.")
    boolean connect;

    @Option(names = "--connect-port", paramLabel = "PORT",
            description = "The Connect worker's REST port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int connectPort;

    @Option(names = "--connect-plugin-path", paramLabel = "DIR",
            description = "The Connect worker's plugin.path, for more plugins (default: the class path only, which "
                    + "holds the webhook sink).")
    String connectPluginPath;

    @Option(names = "--gateway-port", paramLabel = "PORT",
            description = "The holder gateway's HTTP port on 127.0.0.1; 0 picks a free one (default: "
                    + "${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(names = "--nodes", paramLabel = "N",
            description = "Kafka nodes to run, each a broker and a KRaft controller, on consecutive ports from "
                    + "--kafka-port: 1, 3 or 5; 3 to try failover on one machine (every topic on 3 nodes, 2 in sync): "
                    + "type 'stop <id>' or 'start <id>' on stdin. Chosen when the data dir is created (default: "
                    + "${DEFAULT-VALUE}).")
    int nodes;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PlatformConfig.GATEWAY_ENABLED, true);
        SETTINGS.forEach((option, key) -> {
            Object value = spec.findOption(option).getValue();
            if (value != null) {
                settings.put(key, value);
            }
        });
        PlatformConfig config = parse(settings);

        Platform platform = Platform.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            spec.commandLine().getErr().println("idstream platform: stopped");
            spec.commandLine().getErr().flush();
            stopped.countDown();
        }, "idstream-platform-shutdown"));

        PlatformSettings.print(platform, config, spec.commandLine().getOut());
        PrintWriter err = spec.commandLine().getErr();
        PlatformSettings.warn(platform, err);
        err.println("idstream platform: up, data in " + config.dataDir() + "; Ctrl-C to stop");
        err.flush();
        NodeControl.follow(System.in, platform, err);
        stopped.await();
        return IdstreamCommand.EXIT_OK;
    }

    /** The options' defaults are the platform settings' own, declared once in {@link PlatformConfig#DEFINITION}. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argument) {
            String key = argument instanceof OptionSpec option ? SETTINGS.get(option.longestName()) : null;
            Object value = key == null ? null : PlatformConfig.DEFINITION.defaultValues().get(key);
            return value == null ? null : value.toString();
        }
    }

    /** A setting out of range is the option's fault: a usage error that names the option, not the config key. */
    private PlatformConfig parse(Map<String, Object> settings) {
        try {
            return new PlatformConfig(settings);
        } catch (ConfigException e) {
            String message = e.getMessage();
            for (Map.Entry<String, String> setting : SETTINGS.entrySet()) {
                message = message.replace(setting.getValue(), setting.getKey());
            }
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}

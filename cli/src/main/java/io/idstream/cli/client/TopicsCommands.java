package io.idstream.cli.client;

import io.idstream.gateway.GatewayConfig;
import io.idstream.platform.growth.GrowthReport;
import io.idstream.platform.growth.GrowthSettings;
import io.idstream.platform.growth.PartitionGrowth;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicGeneration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code idstream topics}: the operator's work on the deployment's topics. */
@Command(name = "topics", description = "Operator tasks on the deployment's topics.", mixinStandardHelpOptions = true,
        subcommands = {TopicsCommands.Grow.class})
public final class TopicsCommands extends CommandGroup {
    /** Each step of a growth may wait this long at least, whatever --timeout says: copying a topic takes a while. */
    static final Duration LEAST_STEP_TIMEOUT = Duration.ofMinutes(2);

    /**
     * {@code idstream topics grow --partitions N}: moves a deployment whose processors and gateways are stopped to a
     * new generation of its holder-keyed topics with N partitions; prints what was copied.
     */
    @Command(name = "grow", mixinStandardHelpOptions = true,
            description = "Grow the holder-keyed topics to N partitions, a multiple of their count now, by copying "
                    + "them and the processors' state to a new generation of topics. Stop the processors and every "
                    + "gateway first; clients may keep running. Run it again if it was cut short.")
    static final class Grow extends ClientCommand {
        @Mixin
        ClientOptions options;

        @Option(names = "--partitions", required = true, paramLabel = "N",
                description = "The new partition count: a multiple of the count now, above it.")
        int partitions;

        @Option(names = "--processors-application-id", paramLabel = "ID", defaultValue = "idstream-processors",
                description = "The processors' configured " + ProcessorsConfig.APPLICATION_ID
                        + " (default: ${DEFAULT-VALUE}).")
        String processorsApplicationId;

        @Option(names = "--gateway-application-id", paramLabel = "ID", defaultValue = "idstream-gateway",
                description = "The gateways' configured " + GatewayConfig.APPLICATION_ID
                        + " (default: ${DEFAULT-VALUE}).")
        String gatewayApplicationId;

        @Override
        void checkOptions() {
            if (partitions < 2 || partitions > TopicGeneration.MAX_PARTITIONS) {
                throw usage("--partitions must be from 2 to " + TopicGeneration.MAX_PARTITIONS + ", not "
                        + partitions);
            }
        }

        @Override
        void run() {
            Map<String, Object> configs = new HashMap<>();
            options.properties().forEach((key, value) -> configs.put((String) key, value));
            Duration timeout = Duration.ofSeconds(options.timeoutSeconds);
            GrowthReport report = new PartitionGrowth(new GrowthSettings(configs, processorsApplicationId,
                    gatewayApplicationId, timeout.compareTo(LEAST_STEP_TIMEOUT) < 0 ? LEAST_STEP_TIMEOUT : timeout))
                    .grow(partitions);
            spec.commandLine().getOut().println(report.summary());
        }
    }
}

package io.idstream.cli.client;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.Identity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The consumer's commands: asking a holder for fields, and reading what came back. */
public final class ConsumerCommands {
    /** Idle polls of a second each after which {@code deliveries} without {@code --follow} has read everything. */
    private static final int IDLE_POLLS = 3;

    private ConsumerCommands() {
    }

    /** A command run as the consumer {@code --consumer}, with its keys. */
    abstract static class ConsumerCommand extends ParticipantCommand<ConsumerClient> {
        @Option(names = "--consumer", required = true, paramLabel = "ID")
        String consumer;

        @Mixin
        ClientOptions options;

        ConsumerCommand() {
            super("consumer");
        }

        @Override
        Path keys() {
            return options.keys;
        }

        @Override
        ConsumerClient open(Identity identity) {
            return new ConsumerClient(identity, options.properties());
        }
    }

    /** {@code idstream request}: asks a holder for fields of a credential; prints the request id. */
    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask a holder for fields of a credential; prints the request id.")
    public static final class Request extends ConsumerCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        /** Which of the holder's credentials: the newest of a type, or one by its id. */
        static final class Which {
            @Option(names = "--type", paramLabel = "TYPE", description = "The newest credential of this type.")
            String type;

            @Option(names = "--credential", paramLabel = "CID", description = "This credential.")
            String credential;
        }

        @Option(names = "--fields", required = true, split = ",", paramLabel = "a,b")
        List<String> fields;

        @Option(names = "--purpose", required = true, paramLabel = "TEXT")
        String purpose;

        @Override
        void run(ConsumerClient client) {
            output().id(which.type != null ? client.request(holder, which.type, fields, purpose)
                    : client.requestCredential(holder, which.credential, fields, purpose));
        }
    }

    /** {@code idstream deliveries}: reads, verifies and shows the consumer's deliveries and notices. */
    @Command(name = "deliveries", mixinStandardHelpOptions = true,
            description = "Read, verify and show a consumer's deliveries and notices: field names, never values "
                    + "(an application takes the values from the SDK's ConsumerClient).")
    public static final class Deliveries extends ConsumerCommand {
        @Option(names = "--follow", description = "Keep reading until Ctrl-C.")
        boolean follow;

        @Mixin
        JsonOption json;

        @Override
        void run(ConsumerClient client) {
            Renderer output = output(json.enabled);
            try (ConsumerClient.Subscription subscription = client.subscribe(consumer + ".cli")) {
                int idlePolls = 0;
                while (follow || idlePolls < IDLE_POLLS) {
                    List<DeliveryOutcome> outcomes = subscription.poll(Duration.ofSeconds(1));
                    idlePolls = outcomes.isEmpty() ? idlePolls + 1 : 0;
                    outcomes.forEach(output::outcome);
                    output.flush();
                }
            }
        }
    }
}

package io.idstream.cli.client;

import io.idstream.sdk.Identity;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.IssuanceOutcome;
import io.idstream.sdk.IssuerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The issuer's commands. */
public final class IssuerCommands {
    private IssuerCommands() {
    }

    /**
     * {@code idstream issue}: encrypts, signs and publishes a credential to a holder, then waits for the processors'
     * word on the issuer's notice topic: prints the id once it is stored, and fails (exit code 1) with the reason when
     * it is refused, such as {@code no-write-grant} when the holder has not allowed this issuer to write that type.
     */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Issue an encrypted, signed credential to a holder; prints its id once the platform stored "
                    + "it.", "The holder must have allowed this issuer to write the type first ('idstream "
                    + "allow-issuer', or the wallet, answering 'idstream consent request'); otherwise the credential "
                    + "is refused: 'refused: no-write-grant', exit code 1."})
    public static final class Issue extends ParticipantCommand<IssuerClient> {
        private static final Pattern FIELD = Pattern.compile("^([a-z][a-z0-9_]{0,63})=(.*)$", Pattern.DOTALL);

        /** The issuer this command runs as. */
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--type", required = true, paramLabel = "TYPE")
        String type;

        @Option(names = "--field", required = true, paramLabel = "NAME=VALUE", description = "A field; repeat.")
        List<String> fields;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the platform to store or refuse it (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        /** The fields, by name, once the options are checked. */
        private final Map<String, String> values = new LinkedHashMap<>();

        @Mixin
        ClientOptions options;

        Issue() {
            super("issuer");
        }

        @Override
        Path keys() {
            return options.keys;
        }

        @Override
        IssuerClient open(Identity identity) {
            return new IssuerClient(identity, options.properties());
        }

        @Override
        void checkOptions() {
            if (waitSeconds < 1) {
                throw usage("--wait must be at least 1 second, not " + waitSeconds);
            }
            for (String field : fields) {
                Matcher matcher = FIELD.matcher(field);
                // The message names the field, never its value.
                if (!matcher.matches()) {
                    throw usage("--field '" + field.split("=", 2)[0]
                            + "...' is not NAME=VALUE with a name of lowercase letters, digits and _");
                }
                if (values.put(matcher.group(1), matcher.group(2)) != null) {
                    throw usage("--field " + matcher.group(1) + " given twice");
                }
            }
        }

        @Override
        void run(IssuerClient client) {
            IssuanceOutcome outcome = client.issueAndAwait(holder, type, values, 0L, Duration.ofSeconds(waitSeconds));
            if (!outcome.stored()) {
                throw new IdstreamException("refused: " + outcome.reason() + ": " + outcome.detail());
            }
            output().id(outcome.credentialId());
        }
    }
}

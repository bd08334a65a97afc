package io.idstream.cli.client;

import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The issuer's commands. */
public final class IssuerCommands {
    private IssuerCommands() {
    }

    /** {@code idstream issue}: encrypts, signs and publishes a credential to a holder; prints its id. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue an encrypted, signed credential to a holder; prints its id.")
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
            output().id(client.issue(holder, type, values, 0L));
        }
    }
}

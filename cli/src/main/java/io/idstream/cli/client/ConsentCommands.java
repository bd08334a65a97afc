package io.idstream.cli.client;

import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code idstream consent}: an issuer asks a holder for consent to write credentials of some types. The request lands
 * in the holder's inbox; the holder answers it with {@code allow-issuer --consent-request ID} (or in the wallet), and
 * from then on the processors store that issuer's credentials of those types for the holder.
 */
@Command(name = "consent", description = "An issuer's requests for a holder's consent.",
        mixinStandardHelpOptions = true, subcommands = ConsentCommands.Request.class)
public final class ConsentCommands extends CommandGroup {
    /** {@code idstream consent request}: signs and sends a consent request; prints its id. */
    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask a holder to allow this issuer to write credentials of the given types; prints the "
                    + "consent request's id. The holder answers with 'idstream allow-issuer' or in the wallet.")
    static final class Request extends ParticipantCommand<IssuerClient> {
        /** The issuer this command runs as. */
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "A credential type the issuer would write; repeat (at most "
                        + CredentialTypes.MAX_TYPES + ").")
        List<String> types;

        @Option(names = "--purpose", paramLabel = "TEXT", defaultValue = "",
                description = "Why, in words, shown to the holder (default: none).")
        String purpose;

        @Mixin
        ClientOptions options;

        private List<String> checkedTypes;

        Request() {
            super("issuer");
        }

        @Override
        void checkOptions() {
            checkedTypes = CredentialTypes.checked(types, this::usage);
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
        void run(IssuerClient client) {
            output().id(client.requestConsent(holder, checkedTypes, purpose));
        }
    }
}

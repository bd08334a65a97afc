package io.idstream.cli.client;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.WriteGrant;
import io.idstream.cli.client.HolderCommands.HolderCommand;
import io.idstream.sdk.HolderClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * The holder's consent to issuers (docs/protocol.md section 6a): a write grant lets one issuer write credentials of
 * some types to the holder's vault until it expires or the holder ends it; without one the processors refuse the
 * issuer's credentials ({@code no-write-grant}).
 */
public final class WriteGrantCommands {
    /** Longest consent one command gives: ten years, after which the holder is asked again. */
    static final int MAX_DAYS = 3650;

    private WriteGrantCommands() {
    }

    /** {@code idstream allow-issuer}: signs a write grant; prints its id. */
    @Command(name = "allow-issuer", mixinStandardHelpOptions = true,
            description = "Allow an issuer to write credentials of the given types to the holder's vault, for "
                    + "--days days; prints the write grant's id. Answers a consent request when given its id.")
    public static final class AllowIssuer extends HolderCommand {
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "A credential type the issuer may write; repeat (at most "
                        + CredentialTypes.MAX_TYPES + ").")
        List<String> types;

        @Option(names = "--days", paramLabel = "N", defaultValue = "365",
                description = "How long the consent lasts, 1 to " + MAX_DAYS + " days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--consent-request", paramLabel = "ID",
                description = "The issuer's consent request this answers ('idstream issuers' lists them).")
        String consentRequest;

        private List<String> checkedTypes;

        @Override
        void checkOptions() {
            checkedTypes = CredentialTypes.checked(types, this::usage);
            if (days < 1 || days > MAX_DAYS) {
                throw usage("--days must be from 1 to " + MAX_DAYS + ", not " + days);
            }
        }

        @Override
        void run(HolderClient client) {
            output().id(client.allowIssuer(issuer, checkedTypes, Duration.ofDays(days), consentRequest));
        }
    }

    /** {@code idstream disallow-issuer}: ends every write grant the holder gave an issuer; prints how many. */
    @Command(name = "disallow-issuer", mixinStandardHelpOptions = true,
            description = "End every write grant the holder gave an issuer; prints how many ended. Credentials "
                    + "already stored stay.")
    public static final class DisallowIssuer extends HolderCommand {
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Override
        void run(HolderClient client) {
            output().id(Integer.toString(client.disallowIssuerAll(issuer)));
        }
    }

    /** {@code idstream issuers}: the write grants in force and the consent requests waiting for an answer. */
    @Command(name = "issuers", mixinStandardHelpOptions = true,
            description = "List the issuers the holder allows to write (write grants in force) and the consent "
                    + "requests waiting for an answer.")
    public static final class Issuers extends HolderCommand {
        @Mixin
        JsonOption json;

        @Override
        void run(HolderClient client) {
            Renderer output = output(json.enabled);
            for (WriteGrant grant : client.writeGrants()) {
                output.writeGrant(grant);
            }
            for (ConsentRequest request : client.consentRequests()) {
                output.consentRequest(request);
            }
        }
    }
}

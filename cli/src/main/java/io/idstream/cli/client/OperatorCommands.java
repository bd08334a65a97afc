package io.idstream.cli.client;

import io.idstream.cli.IdstreamCommand;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.OperatorKey;
import io.idstream.sdk.OperatorClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code idstream operator}: the operator's signing key, and the accreditation of issuers with it and its
 * withdrawal.
 */
@Command(name = "operator", description = "Operator tasks.", mixinStandardHelpOptions = true,
        subcommands = {OperatorCommands.Accredit.class, OperatorCommands.Withdraw.class, OperatorCommands.Key.class})
public final class OperatorCommands extends CommandGroup {
    /** A command that signs with the operator's key, read from {@code --operator-key}. */
    abstract static class OperatorKeyCommand extends ClientCommand {
        @Mixin
        ClientOptions options;

        @Option(names = "--operator-key", paramLabel = "FILE", defaultValue = "./.idstream/data/operator/signing.pem",
                description = "The operator's signing key, PKCS#8 PEM, mode 600; when encrypted, its passphrase is "
                        + "taken from $" + KeyPassphrase.ENVIRONMENT_VARIABLE + " or asked on the terminal (default: "
                        + "the embedded platform's, ${DEFAULT-VALUE}).")
        Path operatorKey;

        OperatorClient operatorClient() {
            SigningKeyPair key = KeyPassphrase.signingKey(operatorKey, "the operator key");
            return new OperatorClient(key, options.properties());
        }
    }

    /**
     * {@code idstream operator accredit}: signs a registered issuer's or consumer's accreditation; prints its id. A
     * consumer is accredited so that holders, who trust a consumer's key over the gateway only under an operator key
     * they pin, can approve its requests.
     */
    @Command(name = "accredit", mixinStandardHelpOptions = true,
            description = "Accredit a registered issuer, or a consumer (which holders need before they can approve "
                    + "its requests), with the operator key.")
    static final class Accredit extends OperatorKeyCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Whom whom;

        /** The principal to accredit, named by its role. */
        static final class Whom {
            @Option(names = "--issuer", required = true, paramLabel = "ID", description = "An issuer.")
            String issuer;

            @Option(names = "--consumer", required = true, paramLabel = "ID", description = "A consumer.")
            String consumer;
        }

        @Override
        void run() {
            String id = whom.issuer != null ? whom.issuer : whom.consumer;
            String role = whom.issuer != null ? "issuer" : "consumer";
            try (OperatorClient operator = operatorClient()) {
                // The option names the role: an id registered in another role is refused, not accredited as that.
                operator.directory().require(id, role);
                operator.accredit(id);
            }
            output().id(id);
        }
    }

    /**
     * {@code idstream operator withdraw}: signs the withdrawal of a principal's accreditation, after which none of an
     * issuer's credentials is delivered; prints the principal's id.
     */
    @Command(name = "withdraw", mixinStandardHelpOptions = true,
            description = "Withdraw the accreditation of an issuer (or any accredited principal) with the operator "
                    + "key: its credentials are no longer delivered, until 'operator accredit' accredits it again.")
    static final class Withdraw extends OperatorKeyCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The accredited principal's id.")
        String id;

        @Override
        void run() {
            try (OperatorClient operator = operatorClient()) {
                operator.withdraw(id);
            }
            output().id(id);
        }
    }

    /**
     * {@code idstream operator key}: makes or reads the operator's signing key and prints only its public half; it
     * needs no Kafka, so it takes none of the client options.
     */
    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Make the operator's signing key (or read it, when the file exists); prints its public key "
                    + "in hex, the value of the processors' idstream.operator.keys.")
    static final class Key implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "FILE", required = true,
                description = "Where the private key is kept, PKCS#8 PEM, readable by its owner only.")
        Path file;

        @Override
        public Integer call() {
            SigningKeyPair key = OperatorKey.loadOrCreate(file);
            Renderer output = new Renderer(spec.commandLine().getOut(), false);
            output.id(HexFormat.of().formatHex(key.publicKey()));
            output.flush();
            return IdstreamCommand.EXIT_OK;
        }
    }
}

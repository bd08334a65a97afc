package io.idstream.cli.client;

import io.idstream.cli.IdstreamCommand;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.OperatorKey;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.OperatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** {@code idstream operator}: the operator's signing key, and the accreditation of issuers with it. */
@Command(name = "operator", description = "Operator tasks.", mixinStandardHelpOptions = true,
        subcommands = {OperatorCommands.Accredit.class, OperatorCommands.Key.class})
public final class OperatorCommands extends CommandGroup {
    /** {@code idstream operator accredit}: signs a registered issuer's accreditation; prints the issuer's id. */
    @Command(name = "accredit", mixinStandardHelpOptions = true,
            description = "Accredit a registered issuer with the operator key.")
    static final class Accredit extends ClientCommand {
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--operator-key", paramLabel = "FILE", defaultValue = "./.idstream/data/operator/signing.pem",
                description = "The operator's signing key, PKCS#8 PEM, mode 600; when encrypted, its passphrase is "
                        + "taken from $" + KeyPassphrase.ENVIRONMENT_VARIABLE + " or asked on the terminal (default: "
                        + "the embedded platform's, ${DEFAULT-VALUE}).")
        Path operatorKey;

        @Override
        void run() {
            SigningKeyPair key = KeyPassphrase.signingKey(operatorKey, "the operator key");
            try (OperatorClient operator = new OperatorClient(key, options.properties())) {
                operator.accredit(issuer);
            }
            output().id(issuer);
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

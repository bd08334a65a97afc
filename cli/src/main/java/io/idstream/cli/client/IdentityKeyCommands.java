package io.idstream.cli.client;

import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.Rotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code idstream identity rotate | backup | recover}: an identity's keys over its life. A rotation replaces both keys
 * and carries the identity's state over to them; a backup seals the holder's private keys under a passphrase
 * (docs/protocol.md section 17) on the platform or in a file, and a recovery restores them on a machine that has none.
 */
final class IdentityKeyCommands {
    private IdentityKeyCommands() {
    }

    /**
     * {@code idstream identity rotate}: new keys for an identity. A holder's rotation re-seals every credential's key
     * to the new encryption key; the old keys are deleted once the platform has taken the new ones, and a rotation
     * that stopped half way resumes where it stopped.
     */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replace an identity's signing and encryption keys; prints the id.",
                    "The new registration is signed with the old key. For a holder every stored credential is re-keyed "
                            + "to the new encryption key and the grants made with the old signing key end (consumers "
                            + "ask again); an issuer needs a new accreditation ('idstream operator accredit'). The new "
                            + "keys are written to <keys>/<id>/next/ first, and a rotation that stopped half way "
                            + "resumes when run again.",
                    "A holder whose backup the platform keeps is asked for a backup passphrase ($"
                            + BackupPassphrase.ENVIRONMENT_VARIABLE + ", or twice on the terminal): the backup is "
                            + "replaced by one of the new keys, since the old one would hand out the replaced keys."})
    static final class Rotate extends ClientCommand {
        @Mixin
        ClientOptions options;

        @Option(names = "--gateway-url", paramLabel = "URL",
                description = "For a holder: the holder gateway (default: " + GatewayOptions.DEFAULT_GATEWAY_URL
                        + "). Issuers and consumers rotate through Kafka.")
        String gatewayUrl;

        @Option(names = "--id", required = true, paramLabel = "ID")
        String id;

        @Override
        void run() {
            Identity identity = Identity.load(options.keys, id, KeyPassphrase.toOpen("the keys of '" + id + "'"));
            switch (identity.role()) {
                case "holder" -> {
                    try (HolderClient holder = holder(identity)) {
                        Rotation rotation = holder.hasBackup() ? rotateWithBackup(holder) : holder.rotate(options.keys);
                        spec.commandLine().getErr().println("idstream identity rotate: " + id + ": "
                                + rotation.credentialsRekeyed() + " credentials re-keyed, " + rotation.grantsEnded()
                                + " grants ended");
                    }
                }
                case "issuer" -> {
                    try (IssuerClient issuer = new IssuerClient(identity, options.properties())) {
                        issuer.rotate(options.keys);
                    }
                }
                case "consumer" -> {
                    try (ConsumerClient consumer = new ConsumerClient(identity, options.properties())) {
                        consumer.rotate(options.keys);
                    }
                }
                default -> throw new IdstreamException("'" + id + "' has no role recorded in " + options.keys
                        .resolve(id) + ": cannot tell where to register its new keys");
            }
            output().id(id);
        }

        /**
         * A backup on the platform holds the keys it sealed, which anyone may fetch: it is replaced by one of the new
         * keys, under the passphrase asked now, before they take the old ones' place (docs/protocol.md section 17).
         */
        private Rotation rotateWithBackup(HolderClient holder) {
            char[] passphrase = BackupPassphrase.toSeal(id);
            try {
                return holder.rotate(options.keys, passphrase);
            } finally {
                KeyPassphrase.clear(passphrase);
            }
        }

        private HolderClient holder(Identity identity) {
            URI gateway = URI.create(gatewayUrl == null ? GatewayOptions.DEFAULT_GATEWAY_URL : gatewayUrl);
            List<byte[]> pinned = options.operatorKeys == null ? List.of()
                    : ConsumerTrust.operatorKeys(options.properties());
            return new HolderClient(identity, new GatewayConnection(gateway, identity, null,
                    Duration.ofSeconds(options.timeoutSeconds)), ConsumerTrust.forHolder(pinned));
        }
    }

    /** {@code idstream identity backup}: seals the holder's keys under a passphrase, on the platform or in a file. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Seal a holder's private keys under a passphrase (Argon2id, 64 MiB) and store the backup "
                    + "on the platform, or with --file in a file (mode 600). 'idstream identity recover' restores "
                    + "them from the passphrase alone.",
                    "The passphrase comes from $" + BackupPassphrase.ENVIRONMENT_VARIABLE
                            + ", or is asked twice on the terminal; it needs 12 characters or more. Whoever gets "
                            + "the backup can guess passphrases offline: choose a long one."})
    static final class Backup extends ClientCommand {
        @Mixin
        GatewayOptions options;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The holder.")
        String id;

        @Option(names = "--file", paramLabel = "FILE", description = "Write the backup here instead of the platform; "
                + "an existing file is refused.")
        Path file;

        @Override
        void checkOptions() {
            if (file != null) {
                NewFile.checkAbsent(file, "--file", this::usage);
            }
        }

        @Override
        void run() {
            Identity identity = Identity.load(options.keys, id, KeyPassphrase.toOpen("the keys of '" + id + "'"));
            if (!identity.role().equals("holder")) {
                throw new IdstreamException("'" + id + "' has the role " + identity.role() + ": backups are for "
                        + "holders' keys");
            }
            char[] passphrase = BackupPassphrase.toSeal(id);
            try (HolderClient holder = new HolderClient(identity, options.connection(identity), options.trust())) {
                if (file == null) {
                    holder.backup(passphrase);
                } else {
                    holder.backupToFile(passphrase, file);
                }
            } finally {
                KeyPassphrase.clear(passphrase);
            }
            output().id(id);
        }
    }

    /** {@code idstream identity recover}: restores a holder's keys from a backup and its passphrase. */
    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Restore a holder's keys into the keys directory from the backup on the platform, or with "
                    + "--file from a backup file; prints the id. Refused when the keys directory already holds keys "
                    + "of that id, and when the backup holds keys the directory no longer binds to the id (it "
                    + "predates a key rotation).",
                    "The passphrase comes from $" + BackupPassphrase.ENVIRONMENT_VARIABLE + ", or is asked on the "
                            + "terminal."})
    static final class Recover extends ClientCommand {
        @Mixin
        GatewayOptions options;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The holder.")
        String id;

        @Option(names = "--file", paramLabel = "FILE", description = "The backup file (default: the backup stored "
                + "on the platform).")
        Path file;

        @Override
        void run() {
            Path existing = options.keys.resolve(id);
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw new IdstreamException(existing + " exists: recovering would replace the keys of '" + id
                        + "'; move it away first");
            }
            ConsumerTrust trust = options.trust();
            GatewayConnection unsigned = new GatewayConnection(options.gateway(), null, null,
                    Duration.ofSeconds(options.timeoutSeconds));
            char[] passphrase = BackupPassphrase.toOpen(id);
            try {
                if (file == null) {
                    HolderClient.recover(options.keys, id, passphrase, unsigned, trust);
                } else {
                    HolderClient.recoverFromFile(options.keys, id, passphrase, file, unsigned, trust);
                }
            } finally {
                KeyPassphrase.clear(passphrase);
            }
            output().id(id);
        }
    }
}

package io.idstream.cli;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.OperatorKey;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.sdk.PrincipalClient;
import org.apache.kafka.common.config.SaslConfigs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The participants' commands: each one SDK call, its result on stdout, one line on stderr when refused. */
final class ClientCommands {
    /** The file, next to an identity's keys, of its Kafka client properties on a secure cluster. */
    static final String CLIENT_PROPERTIES = "client.properties";

    private ClientCommands() {
    }

    /** Shared by the commands: the output stream and the client settings. */
    abstract static class ClientCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions options;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            run();
            out().flush();
            return IdstreamCommand.EXIT_OK;
        }

        abstract void run();

        /** Runs {@code action} as the holder whose keys are in the keys directory. */
        void asHolder(String holderId, java.util.function.Consumer<HolderClient> action) {
            try (HolderClient client = new HolderClient(load(options, holderId, "holder"), options.properties())) {
                action.accept(client);
            }
        }
    }

    @Command(name = "identity", description = "Manage identities.", mixinStandardHelpOptions = true,
            subcommands = IdentityCreate.class)
    static final class Identities implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "a subcommand is required, such as 'create'");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make keys for a new identity and register it in the directory; prints its id.")
    static final class IdentityCreate extends ClientCommand {
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "holder, issuer or consumer.")
        String role;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The principal id.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).")
        String name;

        @Override
        void run() {
            if (!List.of("holder", "issuer", "consumer").contains(role)) {
                throw new ParameterException(spec.commandLine(), "--role must be holder, issuer or consumer, not '"
                        + role + "'");
            }
            Identity identity = Identity.create(options.keys, id, role);
            Properties properties = options.properties();
            // On a secure cluster (run with the operator's properties) issuers and consumers get a Kafka user of
            // their own, its client properties next to their keys. Holders are not Kafka principals: they act
            // through the operator's service principal.
            if (properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG) && !role.equals("holder")) {
                try (OperatorClient operator = new OperatorClient(null, properties)) {
                    writePrivateProperties(options.keys.resolve(id).resolve(CLIENT_PROPERTIES),
                            operator.createKafkaUser(id, role));
                }
            }
            try (PrincipalClient client = switch (role) {
                case "issuer" -> new IssuerClient(identity, properties);
                case "holder" -> new HolderClient(identity, properties);
                default -> new ConsumerClient(identity, properties);
            }) {
                client.register(name == null ? id : name);
            }
            out().println(id);
        }
    }

    @Command(name = "operator", description = "Operator tasks.", mixinStandardHelpOptions = true,
            subcommands = {Accredit.class, OperatorKeyCommand.class})
    static final class Operator implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "a subcommand is required, such as 'accredit'");
        }
    }

    @Command(name = "accredit", mixinStandardHelpOptions = true,
            description = "Accredit a registered issuer with the operator key.")
    static final class Accredit extends ClientCommand {
        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--operator-key", paramLabel = "FILE", defaultValue = "./.idstream/data/operator/signing.pem",
                description = "The operator's signing key, PKCS#8 PEM (default: the embedded platform's, "
                        + "${DEFAULT-VALUE}).")
        Path operatorKey;

        @Override
        void run() {
            SigningKeyPair key;
            try {
                key = SigningKeyPair.fromPem(Files.readString(operatorKey));
            } catch (IOException e) {
                throw new IdstreamException("cannot read the operator key " + operatorKey + ": " + e.getMessage());
            }
            try (OperatorClient operator = new OperatorClient(key, options.properties())) {
                operator.accredit(issuer);
            }
            out().println(issuer);
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Make the operator's signing key (or read it, when the file exists); prints its public key "
                    + "in hex, the value of the processors' idstream.operator.keys.")
    static final class OperatorKeyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "FILE", required = true,
                description = "Where the private key is kept, PKCS#8 PEM, readable by its owner only.")
        Path file;

        @Override
        public Integer call() {
            try {
                SigningKeyPair key = OperatorKey.loadOrCreate(file);
                spec.commandLine().getOut().println(HexFormat.of().formatHex(key.publicKey()));
                spec.commandLine().getOut().flush();
            } catch (CryptoException e) {
                throw new IdstreamException(file + " holds no operator key: " + e.getMessage());
            }
            return IdstreamCommand.EXIT_OK;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue an encrypted, signed credential to a holder; prints its id.")
    static final class Issue extends ClientCommand {
        private static final Pattern FIELD = Pattern.compile("^([a-z][a-z0-9_]{0,63})=(.*)$", Pattern.DOTALL);

        @Option(names = "--issuer", required = true, paramLabel = "ID")
        String issuer;

        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--type", required = true, paramLabel = "TYPE")
        String type;

        @Option(names = "--field", required = true, paramLabel = "NAME=VALUE", description = "A field; repeat.")
        List<String> fields;

        @Override
        void run() {
            Map<String, String> values = new LinkedHashMap<>();
            for (String field : fields) {
                Matcher matcher = FIELD.matcher(field);
                if (!matcher.matches()) {
                    throw new ParameterException(spec.commandLine(), "--field '" + field.split("=", 2)[0]
                            + "...' is not NAME=VALUE with a name of lowercase letters, digits and _");
                }
                if (values.put(matcher.group(1), matcher.group(2)) != null) {
                    throw new ParameterException(spec.commandLine(), "--field " + matcher.group(1) + " given twice");
                }
            }
            try (IssuerClient client = new IssuerClient(load(issuer, "issuer"), options.properties())) {
                out().println(client.issue(holder, type, values, 0L));
            }
        }

        private Identity load(String id, String role) {
            return ClientCommands.load(options, id, role);
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask a holder for fields of a credential; prints the request id.")
    static final class Request extends ClientCommand {
        @Option(names = "--consumer", required = true, paramLabel = "ID")
        String consumer;

        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

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
        void run() {
            try (ConsumerClient client = new ConsumerClient(load(options, consumer, "consumer"),
                    options.properties())) {
                out().println(which.type != null ? client.request(holder, which.type, fields, purpose)
                        : client.requestCredential(holder, which.credential, fields, purpose));
            }
        }
    }

    @Command(name = "inbox", mixinStandardHelpOptions = true, description = "List requests waiting for a holder.")
    static final class Inbox extends ClientCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Override
        void run() {
            try (HolderClient client = new HolderClient(load(options, holder, "holder"), options.properties())) {
                for (PendingRequest pending : client.inbox()) {
                    out().println(pending.getRequest().getRequestId() + "  " + pending.getRequest().getConsumerId()
                            + (pending.getConsumerAccredited() ? " (accredited)" : "") + "  asks for "
                            + pending.getRequest().getFields() + " of " + pending.getCredentialType()
                            + (pending.getIssuerId().isEmpty() ? "" : " from " + pending.getIssuerId())
                            + "  purpose: " + pending.getRequest().getPurpose());
                }
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a pending request with a scope; prints the grant id.")
    static final class Approve extends ClientCommand {
        private static final Pattern DURATION = Pattern.compile("^(\\d+)([smhd])$");

        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--request", required = true, paramLabel = "RID")
        String request;

        @Option(names = "--fields", split = ",", paramLabel = "a,b",
                description = "Fields to grant (default: those asked for).")
        List<String> fields;

        @Option(names = "--expires", paramLabel = "30d", description = "Valid for: 45s, 10m, 12h or 30d (default: "
                + "no end).")
        String expires;

        @Option(names = "--uses", paramLabel = "N", defaultValue = "0",
                description = "Requests it answers; 0 is unlimited (default: ${DEFAULT-VALUE}).")
        int uses;

        @Override
        void run() {
            Duration validFor = null;
            if (expires != null) {
                Matcher matcher = DURATION.matcher(expires);
                if (!matcher.matches()) {
                    throw new ParameterException(spec.commandLine(), "--expires '" + expires
                            + "' is not a number followed by s, m, h or d");
                }
                long amount = Long.parseLong(matcher.group(1));
                validFor = switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            if (uses < 0) {
                throw new ParameterException(spec.commandLine(), "--uses must be 0 (unlimited) or more");
            }
            try (HolderClient client = new HolderClient(load(options, holder, "holder"), options.properties())) {
                out().println(client.approve(request, new HolderClient.Scope(fields, validFor, uses)));
            }
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending request.")
    static final class Deny extends ClientCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--request", required = true, paramLabel = "RID")
        String request;

        @Override
        void run() {
            asHolder(holder, client -> client.deny(request));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a grant.")
    static final class Revoke extends ClientCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--grant", required = true, paramLabel = "GID")
        String grant;

        @Override
        void run() {
            asHolder(holder, client -> client.revoke(grant));
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase one of the holder's credentials.")
    static final class Erase extends ClientCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--credential", required = true, paramLabel = "CID")
        String credential;

        @Override
        void run() {
            asHolder(holder, client -> client.erase(credential));
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true,
            description = "Read, verify and show a consumer's deliveries and notices: field names, never values "
                    + "(an application takes the values from the SDK's ConsumerClient).")
    static final class Deliveries extends ClientCommand {
        @Option(names = "--consumer", required = true, paramLabel = "ID")
        String consumer;

        @Option(names = "--follow", description = "Keep reading until Ctrl-C.")
        boolean follow;

        @Option(names = "--json", description = "One JSON object a line.")
        boolean json;

        @Override
        void run() {
            try (ConsumerClient client = new ConsumerClient(load(options, consumer, "consumer"), options.properties());
                 ConsumerClient.Subscription subscription = client.subscribe(consumer + ".cli")) {
                int idlePolls = 0;
                while (follow || idlePolls < 3) {
                    List<DeliveryOutcome> outcomes = subscription.poll(Duration.ofSeconds(1));
                    idlePolls = outcomes.isEmpty() ? idlePolls + 1 : 0;
                    outcomes.forEach(this::print);
                    out().flush();
                }
            }
        }

        private void print(DeliveryOutcome outcome) {
            if (outcome instanceof DeliveryOutcome.Delivered d) {
                java.util.Set<String> fields = new java.util.TreeSet<>(d.values().keySet());
                out().println(json
                        ? Json.object("outcome", "DELIVERED", "requestId", d.requestId(), "holderId", d.holderId(),
                        "credentialId", d.credentialId(), "grantId", d.grantId(), "fields", fields,
                        "verified", true)
                        : "DELIVERED  " + d.requestId() + "  " + d.holderId() + "  " + fields + "  verified");
            } else if (outcome instanceof DeliveryOutcome.Refused r) {
                out().println(json ? Json.object("outcome", "REFUSED", "requestId", r.requestId(), "check",
                        r.failedCheck().name(), "reason", r.reason())
                        : "REFUSED    " + r.requestId() + "  " + r.failedCheck() + ": " + r.reason());
            } else if (outcome instanceof DeliveryOutcome.Notice n) {
                out().println(json ? Json.object("outcome", n.kind().name(), "requestId", n.requestId(), "holderId",
                        n.holderId(), "grantId", n.grantId(), "reason", n.reason())
                        : String.format("%-10s %s  %s  %s", n.kind(), n.requestId().isEmpty() ? n.grantId()
                        : n.requestId(), n.holderId(), n.reason()));
            }
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Show a holder's audit trail.")
    static final class Audit extends ClientCommand {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Option(names = "--json", description = "One JSON object a line.")
        boolean json;

        @Override
        void run() {
            try (HolderClient client = new HolderClient(load(options, holder, "holder"), options.properties())) {
                for (AccessAudit entry : client.audit()) {
                    out().println(json ? Json.object("at", entry.getAt(), "outcome", entry.getOutcome().name(),
                            "consumerId", entry.getConsumerId(), "credentialId", entry.getCredentialId(),
                            "requestId", entry.getRequestId(), "grantId", entry.getGrantId(),
                            "fields", entry.getFields(), "purpose", entry.getPurpose())
                            : String.format("%tFT%<tT  %-18s %-12s %s  %s", entry.getAt(), entry.getOutcome(),
                            entry.getConsumerId().isEmpty() ? "-" : entry.getConsumerId(), entry.getFields(),
                            entry.getPurpose()));
                }
            }
        }
    }

    private static void writePrivateProperties(Path file, Properties properties) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(file)) {
                properties.store(out, "Kafka client properties of this identity; keep private");
            }
        } catch (IOException e) {
            throw new IdstreamException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static Identity load(ClientOptions options, String id, String role) {
        Identity identity = Identity.load(options.keys, id);
        if (!identity.role().isEmpty() && !identity.role().equals(role)) {
            throw new IdstreamException("'" + id + "' has the role " + identity.role() + ", not " + role);
        }
        return identity;
    }
}

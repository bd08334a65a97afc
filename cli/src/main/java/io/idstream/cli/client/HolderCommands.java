package io.idstream.cli.client;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.PendingRequest;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The holder's commands: the inbox, decisions on requests and grants, erasure, and the audit trail. */
public final class HolderCommands {
    private HolderCommands() {
    }

    /**
     * A command run as the holder {@code --holder}, with its keys, through the holder gateway: every request signed
     * with the holder's key, every consumer and issuer the gateway names checked against the pinned operator keys.
     */
    abstract static class HolderCommand extends ParticipantCommand<HolderClient> {
        @Option(names = "--holder", required = true, paramLabel = "ID")
        String holder;

        @Mixin
        GatewayOptions options;

        /** The signed connection the client was opened on, for commands that also follow the holder's events. */
        GatewayConnection connection;

        HolderCommand() {
            super("holder");
        }

        @Override
        Path keys() {
            return options.keys;
        }

        @Override
        HolderClient open(Identity identity) {
            connection = options.connection(identity);
            return new HolderClient(identity, connection, options.trust());
        }
    }

    /** {@code idstream inbox}: the requests waiting for the holder's decision. */
    @Command(name = "inbox", mixinStandardHelpOptions = true, description = "List requests waiting for a holder.")
    public static final class Inbox extends HolderCommand {
        @Override
        void run(HolderClient client) {
            Renderer output = output();
            for (PendingRequest pending : client.inbox()) {
                output.pending(pending);
            }
        }
    }

    /**
     * {@code idstream approve}: grants a pending request within a scope; prints the grant id. Without a scope it grants
     * what the wallet proposes, one use within 30 days: a grant without an end or a limit is given only when asked
     * for in words ({@code --expires never}, {@code --uses unlimited}).
     */
    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a pending request with a scope; prints the grant id.")
    public static final class Approve extends HolderCommand {
        private static final Pattern DURATION = Pattern.compile("^(\\d+)([smhd])$");
        private static final Pattern POSITIVE = Pattern.compile("^[1-9]\\d{0,9}$");
        static final String NEVER = "never";
        static final String UNLIMITED = "unlimited";

        @Option(names = "--request", required = true, paramLabel = "RID")
        String request;

        @Option(names = "--fields", split = ",", paramLabel = "a,b",
                description = "Fields to grant (default: those asked for).")
        List<String> fields;

        @Option(names = "--expires", paramLabel = "30d", defaultValue = "30d",
                description = "Valid for: 45s, 10m, 12h or 30d, or '" + NEVER + "' for no end (default: "
                        + "${DEFAULT-VALUE}).")
        String expires;

        @Option(names = "--uses", paramLabel = "N", defaultValue = "1",
                description = "Requests it answers: a number from 1, or '" + UNLIMITED + "' (default: "
                        + "${DEFAULT-VALUE}).")
        String uses;

        /** Set from {@code --expires} when the options are checked; null for no end. */
        private Duration validFor;
        /** Set from {@code --uses} when the options are checked; 0 for no limit, as the protocol writes it. */
        private int maxUses;

        @Override
        void checkOptions() {
            validFor = NEVER.equals(expires) ? null : duration(expires);
            maxUses = maxUses(uses);
        }

        @Override
        void run(HolderClient client) {
            output().id(client.approve(request, new HolderClient.Scope(fields, validFor, maxUses)));
        }

        private Duration duration(String text) {
            Matcher matcher = DURATION.matcher(text);
            if (!matcher.matches()) {
                throw usage("--expires '" + text + "' is not a number followed by s, m, h or d, nor '" + NEVER + "'");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }

        /** The grant's maxUses; "0" is refused, since read as a number it would mean no limit, not none. */
        private int maxUses(String text) {
            if (UNLIMITED.equals(text)) {
                return 0;
            }
            if (!POSITIVE.matcher(text).matches() || Long.parseLong(text) > Integer.MAX_VALUE) {
                throw usage("--uses must be a number from 1 to " + Integer.MAX_VALUE + ", or '" + UNLIMITED
                        + "', not '" + text + "'");
            }
            return Integer.parseInt(text);
        }
    }

    /** {@code idstream deny}: refuses a pending request. */
    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending request.")
    public static final class Deny extends HolderCommand {
        @Option(names = "--request", required = true, paramLabel = "RID")
        String request;

        @Override
        void run(HolderClient client) {
            client.deny(request);
        }
    }

    /** {@code idstream revoke}: ends a grant before its term. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a grant.")
    public static final class Revoke extends HolderCommand {
        @Option(names = "--grant", required = true, paramLabel = "GID")
        String grant;

        @Override
        void run(HolderClient client) {
            client.revoke(grant);
        }
    }

    /** {@code idstream erase}: erases one of the holder's credentials. */
    @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase one of the holder's credentials.")
    public static final class Erase extends HolderCommand {
        @Option(names = "--credential", required = true, paramLabel = "CID")
        String credential;

        @Override
        void run(HolderClient client) {
            client.erase(credential);
        }
    }

    /** {@code idstream audit}: the holder's audit trail, oldest first. */
    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Show a holder's audit trail.")
    public static final class Audit extends HolderCommand {
        @Mixin
        JsonOption json;

        @Override
        void run(HolderClient client) {
            Renderer output = output(json.enabled);
            for (AccessAudit entry : client.audit()) {
                output.audit(entry);
            }
        }
    }
}

package io.idstream.cli;

import io.idstream.cli.client.KeyPassphrase;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code idstream demo}: the KYC-reuse story, end to end, with real components: an embedded platform (a Kafka broker,
 * the registry, the processors and the holder gateway) and the SDK's clients for an issuer, a holder and two
 * consumers. The holder goes through the gateway with her own key only, as every holder does, and trusts the consumers
 * the operator accredited. The story ({@link DemoStory}) asks her consent before any issuance and ends with a
 * rotation of her keys. Each stage is checked the way its participant would check it; the command exits 0 only if
 * every stage verified. It prints field names and whether they verified, never a field's value.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the KYC-reuse story end to end on an embedded platform, with consent before issuance and "
                + "a key rotation, checking every stage.")
final class DemoCommand implements Callable<Integer> {
    static final Map<String, String> ALICE_KYC = new TreeMap<>(Map.of(
            "full_name", "Alice Example",
            "birth_date", "1990-04-12",
            "country", "DE",
            "document_number", "C01X00T47",
            "kyc_level", "2",
            "age_over_18", "true",
            "sanctions_clear", "true"));
    static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory for the demo's platform data and keys (default: a new temporary directory, "
                    + "removed afterwards).")
    Path dataDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Run the story on this running platform instead of starting an embedded one; needs "
                    + "--schema-registry-url, --gateway-url and --operator-key.")
    String bootstrapServers;

    @Option(names = "--gateway-url", paramLabel = "URL", description = "That platform's holder gateway.")
    URI gatewayUrl;

    @Option(names = "--schema-registry-url", paramLabel = "URL")
    String schemaRegistryUrl;

    @Option(names = "--operator-key", paramLabel = "FILE",
            description = "The signing key (PKCS#8 PEM) of an operator that running platform's processors trust.")
    Path operatorKeyFile;

    /** On a shared platform the story's ids get a suffix, so that runs do not collide with earlier ones. */
    private String suffix = "";

    private PrintWriter out;
    private long started;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        started = System.nanoTime();
        boolean temporary = dataDir == null;
        Path root = temporary ? Files.createTempDirectory("idstream-demo") : dataDir;
        try {
            return run(root);
        } finally {
            if (temporary) {
                deleteTree(root);
            }
        }
    }

    private int run(Path root) throws IOException {
        if (bootstrapServers != null) {
            if (schemaRegistryUrl == null || gatewayUrl == null || operatorKeyFile == null) {
                throw new ParameterException(spec.commandLine(),
                        "--bootstrap-servers needs --schema-registry-url, --gateway-url and --operator-key");
            }
            suffix = "-" + UUID.randomUUID().toString().substring(0, 6);
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrapServers);
            client.put("schema.registry.url", schemaRegistryUrl);
            say("Using the platform at " + bootstrapServers + " with " + schemaRegistryUrl + " and its gateway at "
                    + gatewayUrl);
            return cast(root.resolve("keys"), client, gatewayUrl, KeyPassphrase.signingKey(operatorKeyFile,
                    "the operator key"));
        }
        PlatformConfig config = new PlatformConfig(Map.of(PlatformConfig.DATA_DIR, root.resolve("platform").toString(),
                PlatformConfig.KAFKA_PORT, Ports.freePort(), PlatformConfig.REGISTRY_PORT, 0,
                PlatformConfig.GATEWAY_ENABLED, true, PlatformConfig.GATEWAY_PORT, 0));
        say("Starting the embedded platform: Kafka broker, Schema Registry, processors, holder gateway");
        try (Platform platform = Platform.start(config)) {
            say("Platform up: bootstrap.servers=" + platform.bootstrapServers() + " schema.registry.url="
                    + platform.schemaRegistryUrl() + " gateway.url=" + platform.gatewayUrl());
            return cast(root.resolve("keys"), platform.clientProperties(), platform.gatewayUrl(),
                    platform.operatorKey());
        }
    }

    private int cast(Path keys, Properties platformClient, URI gateway, SigningKeyPair operatorKey) {
        // The consumers pin the operator key that accredits the issuer: they trust no other accreditation.
        Properties client = new Properties();
        client.putAll(platformClient);
        client.put(ConsumerClient.OPERATOR_KEYS_CONFIG, HexFormat.of().formatHex(operatorKey.publicKey()));
        try (IssuerClient issuer = new IssuerClient(Identity.create(keys, id("kyc-provider"), "issuer"), client);
             HolderClient alice = holderOnGateway(Identity.create(keys, id("alice"), "holder"), gateway,
                     operatorKey);
             ConsumerClient exchange = new ConsumerClient(Identity.create(keys, id("exchange-a"), "consumer"), client);
             ConsumerClient app = new ConsumerClient(Identity.create(keys, id("app-b"), "consumer"), client);
             OperatorClient operator = new OperatorClient(operatorKey, client);
             ConsumerClient.Subscription exchangeInbox = exchange.subscribe(id("exchange-a") + ".demo");
             ConsumerClient.Subscription appInbox = app.subscribe(id("app-b") + ".demo")) {
            return new DemoStory(out, started, this::id).tell(new DemoStory.Cast(issuer, alice,
                    () -> holderOnGateway(Identity.load(keys, id("alice")), gateway, operatorKey), exchange, app,
                    operator, exchangeInbox, appInbox, keys));
        }
    }

    /** A holder with no Kafka credentials: her own key signs every request to the gateway. */
    private static HolderClient holderOnGateway(Identity holder, URI gateway, SigningKeyPair operatorKey) {
        return new HolderClient(holder, new GatewayConnection(gateway, holder),
                ConsumerTrust.forHolder(List.of(operatorKey.publicKey())));
    }

    private String id(String name) {
        return name + suffix;
    }

    private void say(String line) {
        out.println("   " + line);
        out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A stage that did not verify; the demo fails with exit code 1 and this message. */
    static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}

package io.idstream.cli;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.GrantTerms;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command line's contract with its user, against a running platform: a consumer's {@code deliveries} names the
 * fields it received and never prints their values, in text or JSON, on stdout or stderr; {@code approve} signs
 * exactly the terms it was given, and without them one use for 30 days, never a grant without an end or a limit;
 * {@code deliveries --follow} keeps reading and shows a forged delivery as REFUSED with the check it failed; each exit
 * code comes with its one line on stderr; and the demo fails when a stage cannot verify.
 */
@Timeout(240)
class CliContractIT {
    /** Alice's credential: distinctive values, and short ones that must be found as whole tokens too. */
    static final Map<String, String> ALICE_KYC = new TreeMap<>(Map.of(
            "country", "Zq-7431",
            "full_name", "Xavier Qwertz-9917",
            "age_over_18", "true",
            "kyc_level", "3"));
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Platform platform;
    static String keys;
    /** The demo with an operator key the platform does not trust, started first: it fails at the refusal. */
    static CompletableFuture<CliRun> demoWithWrongOperatorKey;

    @BeforeAll
    static void start() throws IOException {
        platform = TestPlatform.start(dir);
        keys = dir.resolve("keys").toString();
        Path wrongKey = dir.resolve("wrong-operator.pem");
        PrivateKeyFile.write(wrongKey, SigningKeyPair.generate().toPem());
        demoWithWrongOperatorKey = CompletableFuture.supplyAsync(() -> CliRun.of("demo", "--data-dir",
                dir.resolve("demo").toString(), "--bootstrap-servers", platform.bootstrapServers(),
                "--schema-registry-url", platform.schemaRegistryUrl(), "--gateway-url",
                platform.gatewayUrl().toString(), "--operator-key", wrongKey.toString()));

        run("identity", "create", "--role", "issuer", "--id", "kyc-co").ok();
        run("operator", "accredit", "--issuer", "kyc-co", "--operator-key",
                dir.resolve("data/operator/signing.pem").toString()).ok();
        run("identity", "create", "--role", "holder", "--id", "alice").ok();
        run("allow-issuer", "--holder", "alice", "--issuer", "kyc-co", "--type", "kyc").ok();
        List<String> issue = new ArrayList<>(List.of("issue", "--issuer", "kyc-co", "--holder", "alice",
                "--type", "kyc"));
        ALICE_KYC.forEach((name, value) -> issue.addAll(List.of("--field", name + "=" + value)));
        CliRun issued = await().atMost(WAIT).until(() -> run(issue.toArray(String[]::new)),
                r -> r.exitCode() == IdstreamCommand.EXIT_OK);
        assertNoValueIn(issued);
    }

    @AfterAll
    static void stop() {
        if (demoWithWrongOperatorKey != null) {
            demoWithWrongOperatorKey.join();
        }
        platform.close();
    }

    @Test
    void deliveriesNameTheDisclosedFieldsAndNeverPrintTheirValues() throws Exception {
        String requestId = requestAndApprove("shop-v", "country,full_name,age_over_18,kyc_level");
        delivery("shop-v", requestId);

        CliRun text = run("deliveries", "--consumer", "shop-v");
        assertThat(text.ok()).contains("DELIVERED  " + requestId
                + "  alice  [age_over_18, country, full_name, kyc_level]  verified");
        assertNoValueIn(text);

        forgetTheReadPosition("shop-v");
        CliRun json = run("deliveries", "--consumer", "shop-v", "--json");
        assertThat(json.ok()).contains("{\"outcome\":\"DELIVERED\",\"requestId\":\"" + requestId + "\"",
                "\"fields\":[\"age_over_18\",\"country\",\"full_name\",\"kyc_level\"],\"verified\":true");
        PrintedValues.assertNoneInJsonLines(json.out(), ALICE_KYC, "deliveries --json");
        PrintedValues.assertNoneIn(json.err(), ALICE_KYC, "the stderr of deliveries --json");
    }

    @Test
    void approveSignsExactlyTheFieldsAskedForAndTheUsesAndExpiryGiven() throws Exception {
        String requestId = requestAndApprove("shop-t", "country,age_over_18", "--expires", "2h", "--uses", "3");

        // The terms as the consumer receives them, under the holder's signature, which its client verifies.
        CredentialDelivery delivered = delivery("shop-t", requestId);
        // The client reads the request ids the CLI's 'request' kept beside the keys: the request is one it sent.
        Properties consumerProperties = platform.clientProperties();
        consumerProperties.put(ConsumerClient.STATE_DIR_CONFIG, keys);
        try (ConsumerClient consumer = new ConsumerClient(Identity.load(Path.of(keys), "shop-t"),
                consumerProperties)) {
            assertThat(consumer.verify(new DeliveryEvent(delivered)))
                    .as("the delivery verifies, the grant's signature included")
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        GrantTerms grant = delivered.getGrant();
        assertThat(grant.getFields()).as("fields of the signed grant").containsExactly("age_over_18", "country");
        assertThat(grant.getMaxUses()).as("maxUses of the signed grant").isEqualTo(3);
        assertThat(grant.getExpiresAt() - grant.getNotBefore()).as("expiresAt - notBefore of the signed grant, ms")
                .isEqualTo(Duration.ofHours(2).toMillis());

        // The same terms in the holder's view of her grants, read back from her signed decision.
        try (HolderClient alice = TestPlatform.holder(platform, Identity.load(Path.of(keys), "alice"))) {
            HolderClient.GrantView view = alice.grants().stream().filter(g -> g.grantId().equals(grant.getGrantId()))
                    .findFirst().orElseThrow(() -> new AssertionError("alice has no active grant "
                            + grant.getGrantId()));
            assertThat(view.fields()).as("fields in alice's view").containsExactly("age_over_18", "country");
            assertThat(view.maxUses()).as("maxUses in alice's view").isEqualTo(3);
            assertThat(view.expiresAt()).as("expiresAt in alice's view").isEqualTo(grant.getExpiresAt());
        }
    }

    @Test
    void approveWithoutAScopeGrantsOneUseForThirtyDays() throws Exception {
        String requestId = requestAndApprove("shop-d", "country");

        GrantTerms grant = delivery("shop-d", requestId).getGrant();
        assertThat(grant.getMaxUses()).as("maxUses of the signed grant, approved without --uses").isEqualTo(1);
        assertThat(grant.getExpiresAt() - grant.getNotBefore())
                .as("expiresAt - notBefore of the signed grant, approved without --expires, ms")
                .isEqualTo(Duration.ofDays(30).toMillis());
    }

    @Test
    void approveGrantsWithoutAnEndOrALimitOnlyWhenToldSoInWords() throws Exception {
        String requestId = requestAndApprove("shop-n", "country", "--expires", "never", "--uses", "unlimited");

        GrantTerms grant = delivery("shop-n", requestId).getGrant();
        assertThat(grant.getMaxUses()).as("maxUses of the signed grant: 0, no limit").isZero();
        assertThat(grant.getExpiresAt()).as("expiresAt of the signed grant: 0, no end").isZero();
    }

    @Test
    void followKeepsReadingAndShowsAForgedDeliveryAsRefusedWithItsCheck() throws Exception {
        String requestId = requestAndApprove("shop-f", "country");
        CredentialDelivery genuine = delivery("shop-f", requestId);

        try (Follower follower = Follower.start("deliveries", "--consumer", "shop-f", "--follow")) {
            await("deliveries --follow prints the delivery").atMost(WAIT)
                    .until(() -> follower.out().contains("DELIVERED  " + requestId));
            // Without --follow the command ends after three idle seconds; the follower keeps reading.
            await("deliveries --follow still reading, past the idle seconds that end a plain run")
                    .during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(follower.process::isAlive);

            // A forger raises the uses the holder signed for: the holder's signature no longer covers the terms.
            CredentialDelivery forged = CredentialDelivery.newBuilder(genuine).setGrant(GrantTerms.newBuilder(
                    genuine.getGrant()).setMaxUses(genuine.getGrant().getMaxUses() + 1).build()).build();
            Topic<String, DeliveryEvent> topic = platform.catalog().deliveries("shop-f");
            try (KafkaProducer<String, DeliveryEvent> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                    topic.keySerde().serializer(), topic.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), "alice", new DeliveryEvent(forged))).get();
            }

            await("deliveries --follow prints the forged delivery as REFUSED").atMost(WAIT)
                    .until(() -> follower.out().contains("REFUSED    " + requestId));
            assertThat(follower.process.isAlive()).as("still following after the refusal").isTrue();
            assertThat(follower.out().lines()).filteredOn(line -> line.startsWith("REFUSED")).singleElement()
                    .isEqualTo("REFUSED    " + requestId + "  HOLDER_SIGNATURE: holder signature of grant "
                            + genuine.getGrant().getGrantId() + ": the signature does not verify");
            PrintedValues.assertNoneIn(follower.out(), ALICE_KYC, "deliveries --follow");
            PrintedValues.assertNoneIn(follower.err(), ALICE_KYC, "the stderr of deliveries --follow");
        }
    }

    @Test
    void eachExitCodeComesWithItsOneLineOnStderr() {
        CliRun done = run("identity", "create", "--role", "consumer", "--id", "shop-x");
        assertThat(done.exitCode()).isEqualTo(IdstreamCommand.EXIT_OK);
        assertThat(done.out()).isEqualTo("shop-x\n");
        assertThat(done.err()).isEmpty();

        CliRun refused = run("approve", "--holder", "alice", "--request", "no-such-request");
        assertThat(refused.exitCode()).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(refused.errLines()).containsExactly(
                "idstream approve: request no-such-request is not pending for 'alice'");
        assertThat(refused.out()).isEmpty();

        CliRun usage = run("approve", "--holder", "alice", "--request", "r", "--expires", "3x");
        assertThat(usage.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(usage.errLines()).containsExactly("idstream approve: --expires '3x' is not a number followed by "
                + "s, m, h or d, nor 'never' (see 'idstream approve --help')");
        assertThat(usage.out()).isEmpty();

        CliRun unknownOption = run("deliveries", "--consumer", "shop-x", "--bogus");
        assertThat(unknownOption.exitCode()).isEqualTo(IdstreamCommand.EXIT_USAGE);
        assertThat(unknownOption.errLines()).containsExactly(
                "idstream deliveries: Unknown option: '--bogus' (see 'idstream deliveries --help')");
        assertThat(unknownOption.out()).isEmpty();
    }

    @Test
    void theDemoFailsWhenTheOperatorKeyIsNotTheOneThePlatformTrusts() {
        CliRun demo = demoWithWrongOperatorKey.join();

        assertThat(demo.exitCode()).as("exit code; stdout: %s", demo.out()).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(demo.errLines()).singleElement().asString().matches("idstream demo: accreditation of "
                + "'(kyc-provider-[0-9a-f]{6})' was refused \\(not-accredited\\): accreditation of '\\1' is signed by "
                + "an operator key the processors do not trust");
        assertThat(demo.out()).contains("1. An issuer asks Alice for consent; until she gives it, its credentials are "
                        + "refused")
                .doesNotContain("verified:").doesNotContain("Every stage verified");
    }

    /**
     * The consumer {@code consumerId} asks alice for {@code fields} and alice approves with {@code scope} (no
     * {@code --fields}); returns the request id.
     */
    private static String requestAndApprove(String consumerId, String fields, String... scope) throws Exception {
        run("identity", "create", "--role", "consumer", "--id", consumerId).ok();
        run("operator", "accredit", "--consumer", consumerId, "--operator-key",
                dir.resolve("data/operator/signing.pem").toString()).ok();
        String requestId = run("request", "--consumer", consumerId, "--holder", "alice", "--type", "kyc",
                "--fields", fields, "--purpose", "onboarding").ok();
        CliRun.eventually(() -> run("inbox", "--holder", "alice").ok(), inbox -> inbox.contains(requestId));
        List<String> approve = new ArrayList<>(List.of("approve", "--holder", "alice", "--request", requestId));
        approve.addAll(List.of(scope));
        CliRun approved = run(approve.toArray(String[]::new));
        assertThat(approved.ok()).matches("[0-9a-f-]{36}");
        assertThat(approved.err()).isEmpty();
        return requestId;
    }

    /**
     * The delivery of {@code requestId} on the consumer's topic, read as it is written there, without a consumer
     * group, so that the CLI's own reading position is left alone.
     */
    private static CredentialDelivery delivery(String consumerId, String requestId) {
        return await().atMost(WAIT).until(() -> deliveries(consumerId).stream()
                        .filter(d -> d.getRequestId().equals(requestId)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static List<CredentialDelivery> deliveries(String consumerId) {
        Topic<String, DeliveryEvent> topic = platform.catalog().deliveries(consumerId);
        List<CredentialDelivery> deliveries = new ArrayList<>();
        try (KafkaConsumer<String, DeliveryEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic.name(), WAIT), WAIT,
                    (ConsumerRecord<String, DeliveryEvent> record) -> {
                        if (record.value().getEvent() instanceof CredentialDelivery d) {
                            deliveries.add(d);
                        }
                    });
        }
        return deliveries;
    }

    /** Deletes the consumer group of the CLI's {@code deliveries}, so that its next run reads from the start. */
    private static void forgetTheReadPosition(String consumerId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            admin.deleteConsumerGroups(List.of(consumerId + ".cli")).all().get();
        }
    }

    private static void assertNoValueIn(CliRun run) {
        PrintedValues.assertNoneIn(run.out(), ALICE_KYC, "the stdout of " + run.args());
        PrintedValues.assertNoneIn(run.err(), ALICE_KYC, "the stderr of " + run.args());
    }

    private static CliRun run(String... args) {
        return CliRun.onPlatform(platform, keys, List.of(args));
    }

    /** The runnable jar in a process of its own, as a user runs a command that does not end by itself. */
    private static final class Follower implements AutoCloseable {
        private static final Path JAR = Path.of("target/idstream.jar");

        final Process process;
        private final Path stderr;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Follower(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(stdout closed: " + e.getMessage() + ")");
                }
            }, "follower-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Follower start(String... args) throws IOException {
            assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", JAR.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            command.addAll(List.of("--bootstrap-servers", platform.bootstrapServers(), "--schema-registry-url",
                    platform.schemaRegistryUrl(), "--keys", keys, "--operator-keys",
                    HexFormat.of().formatHex(platform.operatorKey().publicKey())));
            Path stderr = Files.createTempFile(dir, "follower", ".err");
            return new Follower(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
        }

        String out() {
            return String.join("\n", lines);
        }

        String err() throws IOException {
            return Files.readString(stderr);
        }

        /** Stops it as Ctrl-C does (SIGTERM), forcibly if it has not ended within 30 s. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

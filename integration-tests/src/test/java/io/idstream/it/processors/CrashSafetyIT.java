package io.idstream.it.processors;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.Credentials;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static io.idstream.processors.TopologyHarness.verifyAsConsumer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processors killed hard (SIGKILL, no shutdown) in the middle of a stream of requests against a standing grant:
 * after a restart, or after a second instance takes over the partitions, every request is answered exactly once,
 * no delivery is lost or duplicated, and the grant's uses are counted exactly, from state restored from changelogs.
 */
@Timeout(300)
class CrashSafetyIT {
    static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void killedAndRestarted() throws Exception {
        runScenario(false);
    }

    @Test
    void killedWhileASecondInstanceTakesOver() throws Exception {
        runScenario(true);
    }

    private void runScenario(boolean secondInstance) throws Exception {
        int maxUses = 40;
        int requests = 60;
        try (Platform platform = TestPlatforms.start(dir.resolve("data"));
             FlowClients clients = new FlowClients(platform)) {
            Path props = processorProperties(platform);
            Process first = startProcessors(props, "a");
            Process second = secondInstance ? startProcessors(props, "b") : null;

            Party issuer = clients.register("kyc-co", "issuer");
            clients.accredit(issuer);
            Party alice = clients.register("alice", "holder");
            Party exchange = clients.register("exchange-a", "consumer");
            awaitNotice(clients, exchange, alice);
            Credentials.IssuedCredential credential = clients.issue(issuer, alice, KYC);
            clients.awaitStored("alice", credential.header().credentialId(), WAIT);
            clients.grant(alice, exchange, credential, "", List.of("country"), maxUses);

            Set<String> sent = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                sent.add(clients.request(exchange, alice, List.of("country")).getRequestId());
                if (i == requests / 3) {
                    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    if (!secondInstance) {
                        startProcessors(props, "a");
                    }
                }
            }

            List<DeliveryEvent> events = clients.awaitDeliveries(exchange,
                    e -> answered(e, sent).size() >= requests, WAIT);
            List<CredentialDelivery> delivered = credentialDeliveries(events);
            List<String> answered = answered(events, sent);
            assertThat(answered).as("every request answered exactly once").hasSize(requests)
                    .doesNotHaveDuplicates();
            assertThat(delivered).as("deliveries: exactly the grant's uses").hasSize(maxUses);
            assertThat(delivered).allSatisfy(d -> assertThat(verifyAsConsumer(d, exchange, issuer, alice).verified())
                    .isTrue());
            if (second != null) {
                assertThat(second.isAlive()).isTrue();
            }
        }
    }

    /** Requests are answered by a delivery or, beyond the grant's uses, by PENDING; the probe is not counted. */
    private static List<String> answered(List<DeliveryEvent> events, Set<String> sent) {
        List<String> ids = new ArrayList<>();
        credentialDeliveries(events).forEach(d -> ids.add(d.getRequestId()));
        notices(events).stream().filter(n -> n.getKind() == NoticeKind.PENDING).map(ConsumerNotice::getRequestId)
                .forEach(ids::add);
        ids.retainAll(sent);
        return ids;
    }

    /** Waits until the processors run and know the parties: a probe request gets its PENDING notice. */
    private static void awaitNotice(FlowClients clients, Party consumer, Party holder) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String probe = clients.request(consumer, holder, List.of("age_over_18")).getRequestId();
            List<DeliveryEvent> events = clients.awaitDeliveries(consumer,
                    e -> notices(e).stream().anyMatch(n -> n.getRequestId().equals(probe)), Duration.ofSeconds(10));
            if (notices(events).stream().anyMatch(n -> n.getRequestId().equals(probe))) {
                return;
            }
        }
        throw new AssertionError("the processors did not answer within " + WAIT);
    }

    private Path processorProperties(Platform platform) throws IOException {
        Properties props = new Properties();
        props.put(ProcessorsConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        props.put("schema.registry.url", platform.schemaRegistryUrl());
        props.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
        // A killed member leaves no goodbye: its partitions move after the session timeout, kept short here.
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "1000");
        Path file = dir.resolve("processors.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, null);
        }
        return file;
    }

    /** The processors in a JVM of their own, so that they can be killed without a shutdown. */
    private Process startProcessors(Path props, String instance) throws IOException {
        Path instanceProps = dir.resolve("processors-" + instance + ".properties");
        Properties properties = new Properties();
        try (var in = Files.newInputStream(props)) {
            properties.load(in);
        }
        properties.put(ProcessorsConfig.STATE_DIR, dir.resolve("state-" + instance).toString());
        try (OutputStream out = Files.newOutputStream(instanceProps)) {
            properties.store(out, null);
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProcessorsApp.class.getName(), instanceProps.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("processors-" + instance + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }
}

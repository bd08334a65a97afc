package io.idstream.platform;

import io.idstream.platform.connect.EmbeddedConnect;
import io.idstream.topics.AclPolicy;
import io.idstream.topics.ScramLogins;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The secure platform's Connect worker logs in to Kafka as a user of its own, {@value #CONNECT_USER}, not as the
 * operator's super user: its SCRAM password is made on the first secure start with Connect and kept, mode 600, in
 * {@code <data dir>/secrets/connect.properties} as Kafka client properties; at every such start its credential and
 * its ACLs ({@link AclPolicy#connectWorkerBindings}: its own topics and groups, read on delivery topics) are set
 * again, so a platform upgraded from one that ran Connect as the operator moves over by itself.
 */
public final class ConnectLogin {
    public static final String CONNECT_USER = "idstream-connect";
    private static final String COMMENT = "Kafka client properties of the platform's Connect worker; keep private";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectLogin.class);

    private ConnectLogin() {
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("secrets").resolve("connect.properties");
    }

    /**
     * Makes or reads the worker's login, grants its ACLs and sets its credential with the operator's {@code admin}
     * client settings, and returns the client settings the worker connects with: the platform's, logged in as
     * {@value #CONNECT_USER}.
     */
    static Map<String, Object> setUp(Path dataDir, String bootstrapServers, Map<String, Object> operatorConfigs,
                                     TopicCatalog catalog) {
        String password = loadOrCreatePassword(dataDir);
        Map<String, Object> adminConfigs = new HashMap<>(operatorConfigs);
        adminConfigs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(adminConfigs)) {
            // The ACLs first: the broker applies metadata in order, so once the credential logs in, they hold too.
            admin.createAcls(new AclPolicy(catalog).connectWorkerBindings(CONNECT_USER, EmbeddedConnect.GROUP_ID,
                    EmbeddedConnect.TOPIC_PREFIX)).all().get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(CONNECT_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        } catch (ExecutionException e) {
            throw new PlatformException("cannot set up the Connect worker's Kafka user " + CONNECT_USER + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while setting up the Connect worker's Kafka user", e);
        }
        Map<String, Object> workerConfigs = new HashMap<>(operatorConfigs);
        workerConfigs.put(SaslConfigs.SASL_JAAS_CONFIG, ScramLogins.jaas(CONNECT_USER, password));
        awaitLogin(bootstrapServers, workerConfigs);
        return Map.copyOf(workerConfigs);
    }

    private static String loadOrCreatePassword(Path dataDir) {
        Path file = file(dataDir);
        try {
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                return properties.getProperty("idstream.connect.password");
            }
            String password = ScramLogins.newPassword();
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            // The login alone: the protocol and its settings are the platform's, as for every other client.
            properties.put("sasl.mechanism", ScramLogins.MECHANISM);
            properties.put("sasl.jaas.config", ScramLogins.jaas(CONNECT_USER, password));
            properties.put("idstream.connect.password", password);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, COMMENT);
            }
            return password;
        } catch (IOException e) {
            throw new PlatformException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the broker knows the credential just set: the worker gives up at its first failed login. */
    private static void awaitLogin(String bootstrapServers, Map<String, Object> workerConfigs) {
        Map<String, Object> configs = new HashMap<>(workerConfigs);
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        configs.put(AdminClientConfig.CLIENT_ID_CONFIG, "idstream-connect-login");
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (true) {
            try (Admin admin = Admin.create(configs)) {
                admin.describeCluster().clusterId().get(VISIBLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthenticationException) || System.nanoTime() > deadline) {
                    throw new PlatformException("the Connect worker's Kafka user " + CONNECT_USER
                            + " cannot log in: " + e.getCause().getMessage(), e.getCause());
                }
                LOG.debug("Connect worker login not yet known to the broker; retrying");
            } catch (TimeoutException e) {
                throw new PlatformException("the Connect worker's Kafka user " + CONNECT_USER
                        + " cannot log in: no answer within " + VISIBLE_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for the Connect worker's login", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for the Connect worker's login", e);
            }
        }
    }
}

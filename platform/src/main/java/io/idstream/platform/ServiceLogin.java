package io.idstream.platform;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.topics.ScramLogins;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * The Kafka login of one of the secure platform's own services (its Connect worker, its gateway), which runs as a
 * user of its own rather than as the operator's super user: the SCRAM password is made on the first secure start
 * and kept, mode 600, in {@code <data dir>/secrets/<name>.properties} as Kafka client properties; at every start the
 * service's ACLs and credential are set again, so a platform upgraded from one without that login moves over by
 * itself.
 *
 * @param user     the Kafka user, under the reserved {@code idstream-} prefix
 * @param name     the file's name in {@code secrets/} and the password's key, {@code idstream.<name>.password}
 * @param whose    the service in words, for messages: "the Connect worker"
 */
record ServiceLogin(String user, String name, String whose) {
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLogin.class);

    Path file(Path dataDir) {
        return dataDir.resolve("secrets").resolve(name + ".properties");
    }

    private String passwordKey() {
        return "idstream." + name + ".password";
    }

    /**
     * Makes or reads the service's login, grants {@code bindings} and sets its credential with the operator's
     * {@code admin} client settings, and returns the client settings the service connects with: the platform's,
     * logged in as {@link #user}, once the broker accepts that login.
     */
    Map<String, Object> setUp(Path dataDir, String bootstrapServers, Map<String, Object> operatorConfigs,
                              List<AclBinding> bindings) {
        String password = loadOrCreatePassword(dataDir);
        Map<String, Object> adminConfigs = new HashMap<>(operatorConfigs);
        adminConfigs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(adminConfigs)) {
            // The ACLs first: the broker applies metadata in order, so once the credential logs in, they hold too.
            admin.createAcls(bindings).all().get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        } catch (ExecutionException e) {
            throw new PlatformException("cannot set up " + whose + "'s Kafka user " + user + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while setting up " + whose + "'s Kafka user", e);
        }
        Map<String, Object> serviceConfigs = new HashMap<>(operatorConfigs);
        serviceConfigs.put(SaslConfigs.SASL_JAAS_CONFIG, ScramLogins.jaas(user, password));
        awaitLogin(bootstrapServers, serviceConfigs);
        return Map.copyOf(serviceConfigs);
    }

    /**
     * The service's password from {@link #file}, made there if there is none yet. The file is read and written as
     * a private key is ({@link PrivateKeyFile}): one that is a link, another user's, or that others may read or
     * replace is refused, naming it, for a password others know is no login of the service's own.
     */
    String loadOrCreatePassword(Path dataDir) {
        Path file = file(dataDir);
        try {
            Properties properties = new Properties();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                properties.load(new StringReader(PrivateKeyFile.readSecret(file, "Kafka login")));
                String password = properties.getProperty(passwordKey());
                if (password == null || password.isBlank()) {
                    throw new PlatformException(file + " has no " + passwordKey() + ": delete it to have a new "
                            + "login made at the next start");
                }
                return password;
            }
            String password = ScramLogins.newPassword();
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            // The login alone: the protocol and its settings are the platform's, as for every other client.
            properties.put("sasl.mechanism", ScramLogins.MECHANISM);
            properties.put("sasl.jaas.config", ScramLogins.jaas(user, password));
            properties.put(passwordKey(), password);
            StringWriter text = new StringWriter();
            properties.store(text, "Kafka client properties of " + whose + "; keep private");
            PrivateKeyFile.write(file, text.toString());
            return password;
        } catch (IOException e) {
            throw new PlatformException("cannot read or create " + file + ": " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new PlatformException(whose + "'s login is refused: " + e.getMessage(), e);
        }
    }

    /** Waits until the broker knows the credential just set: a service may give up at its first failed login. */
    private void awaitLogin(String bootstrapServers, Map<String, Object> serviceConfigs) {
        Map<String, Object> configs = new HashMap<>(serviceConfigs);
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        configs.put(AdminClientConfig.CLIENT_ID_CONFIG, user + "-login");
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (true) {
            try (Admin admin = Admin.create(configs)) {
                admin.describeCluster().clusterId().get(VISIBLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthenticationException) || System.nanoTime() > deadline) {
                    throw new PlatformException(whose + "'s Kafka user " + user + " cannot log in: "
                            + e.getCause().getMessage(), e.getCause());
                }
                LOG.debug("Login not yet known to the broker; retrying user={}", user);
            } catch (TimeoutException e) {
                throw new PlatformException(whose + "'s Kafka user " + user + " cannot log in: no answer within "
                        + VISIBLE_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for " + whose + "'s login", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for " + whose + "'s login", e);
            }
        }
    }
}

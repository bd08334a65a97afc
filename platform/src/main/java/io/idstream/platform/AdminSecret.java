package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.platform.tls.PlatformTls;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.ScramLogins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The secure platform's Kafka super user (the operator's service principal, which the processors and the registry
 * use too): made on the first secure start and kept as Kafka client properties in
 * {@code <data dir>/secrets/admin.properties}, readable by its owner only, for {@code --command-config}. The same
 * login opens the embedded registry, with Confluent's basic authentication settings in the same file, and the file
 * carries the TLS settings that trust the platform's CA.
 */
public final class AdminSecret {
    public static final String ADMIN_USER = "idstream-admin";
    /** Confluent's key for where a registry client takes its basic authentication login from. */
    static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    private static final String COMMENT = "Kafka client properties of the platform's super user; keep private";

    private AdminSecret() {
    }

    /** The registry client settings that log in as the super user, in Confluent's keys. */
    static Map<String, String> registryLogin(EmbeddedKafka.Security security) {
        return Map.of(BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, security.adminUser() + ":" + security.adminPassword());
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("secrets").resolve("admin.properties");
    }

    /**
     * Reads the super user's login, or makes it on the first secure start, with the platform's TLS
     * ({@link PlatformTls}). The file always carries the current client settings: one written before the registry
     * asked for a login, or before the platform spoke TLS, gets them here, so its {@code --command-config} works.
     */
    static EmbeddedKafka.Security loadOrCreate(Path dataDir) {
        Path file = file(dataDir);
        try {
            Properties properties = new Properties();
            String password;
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                password = properties.getProperty("idstream.admin.password");
            } else {
                if (Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))
                        || Files.exists(dataDir.resolve("kafka").resolve("cluster.id"))) {
                    throw new PlatformException("data dir " + dataDir + " was created without --secure; use a new "
                            + "--data-dir for a secure platform");
                }
                password = ScramLogins.newPassword();
                Files.createDirectories(file.getParent());
                Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
                properties.put("sasl.mechanism", ScramLogins.MECHANISM);
                properties.put("sasl.jaas.config", ScramLogins.jaas(ADMIN_USER, password));
                properties.put("idstream.admin.password", password);
            }
            PlatformTls tls = PlatformTls.loadOrCreate(dataDir);
            EmbeddedKafka.Security security = new EmbeddedKafka.Security(ADMIN_USER, password, tls);
            Map<String, String> current = new HashMap<>(registryLogin(security));
            current.putAll(PlatformTls.clientProperties(dataDir));
            if (!properties.entrySet().containsAll(current.entrySet())) {
                properties.putAll(current);
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                }
                try (OutputStream out = Files.newOutputStream(file)) {
                    properties.store(out, COMMENT);
                }
            }
            return security;
        } catch (IOException e) {
            throw new PlatformException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}

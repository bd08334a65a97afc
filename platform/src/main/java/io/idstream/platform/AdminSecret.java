package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.ScramLogins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * The secure platform's Kafka super user (the operator's service principal, which the processors and the registry
 * use too): made on the first secure start and kept as Kafka client properties in
 * {@code <data dir>/secrets/admin.properties}, readable by its owner only, for {@code --command-config}. The same
 * login opens the embedded registry, with Confluent's basic authentication settings in the same file.
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

    static EmbeddedKafka.Security loadOrCreate(Path dataDir) {
        Path file = file(dataDir);
        try {
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                EmbeddedKafka.Security security = new EmbeddedKafka.Security(ADMIN_USER,
                        properties.getProperty("idstream.admin.password"));
                // A file written before the registry asked for a login gets it, so its --command-config still works.
                if (!properties.containsKey(AvroSerdeConfig.BASIC_AUTH_USER_INFO)) {
                    properties.putAll(registryLogin(security));
                    try (OutputStream out = Files.newOutputStream(file)) {
                        properties.store(out, COMMENT);
                    }
                }
                return security;
            }
            if (Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))) {
                throw new PlatformException("data dir " + dataDir + " was created without --secure; use a new "
                        + "--data-dir for a secure platform");
            }
            String password = ScramLogins.newPassword();
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            Properties properties = new Properties();
            properties.put("security.protocol", "SASL_PLAINTEXT");
            properties.put("sasl.mechanism", ScramLogins.MECHANISM);
            properties.put("sasl.jaas.config", ScramLogins.jaas(ADMIN_USER, password));
            properties.put("idstream.admin.password", password);
            properties.putAll(registryLogin(new EmbeddedKafka.Security(ADMIN_USER, password)));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, COMMENT);
            }
            return new EmbeddedKafka.Security(ADMIN_USER, password);
        } catch (IOException e) {
            throw new PlatformException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}

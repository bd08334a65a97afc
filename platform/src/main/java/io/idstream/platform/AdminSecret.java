package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.topics.ScramLogins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The secure platform's Kafka super user (the operator's service principal, which the processors and the registry
 * use too): made on the first secure start and kept as Kafka client properties in
 * {@code <data dir>/secrets/admin.properties}, readable by its owner only, for {@code --command-config}.
 */
public final class AdminSecret {
    public static final String ADMIN_USER = "idstream-admin";

    private AdminSecret() {
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
                return new EmbeddedKafka.Security(ADMIN_USER, properties.getProperty("idstream.admin.password"));
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
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "Kafka client properties of the platform's super user; keep private");
            }
            return new EmbeddedKafka.Security(ADMIN_USER, password);
        } catch (IOException e) {
            throw new PlatformException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}

package io.idstream.platform;

import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.topics.ScramLogins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's client properties follow the platform's transport, in a new data dir and in an older one. */
class AdminSecretTest {
    @TempDir
    Path dataDir;

    @Test
    void aNewSecureDataDirGetsTlsClientProperties() throws Exception {
        EmbeddedKafka.Security security = AdminSecret.loadOrCreate(dataDir);

        Properties admin = load(AdminSecret.file(dataDir));
        assertThat(admin).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", dataDir.resolve("tls/ca.pem").toString())
                .containsEntry("schema.registry.ssl.truststore.location", dataDir.resolve("tls/ca.pem").toString())
                .containsEntry("idstream.admin.password", security.adminPassword());
        assertThat(dataDir.resolve("tls/ca.pem")).isRegularFile();
    }

    /** A secure data dir from before the platform spoke TLS: plaintext settings, no certificates. */
    @Test
    void anOlderSecureDataDirGetsCertificatesAndTlsSettingsAtItsNextStart() throws Exception {
        Path file = AdminSecret.file(dataDir);
        Files.createDirectories(file.getParent());
        Properties older = new Properties();
        older.put("security.protocol", "SASL_PLAINTEXT");
        older.put("sasl.mechanism", ScramLogins.MECHANISM);
        older.put("sasl.jaas.config", ScramLogins.jaas(AdminSecret.ADMIN_USER, "kept-password"));
        older.put("idstream.admin.password", "kept-password");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            older.store(out, null);
        }

        EmbeddedKafka.Security security = AdminSecret.loadOrCreate(dataDir);

        assertThat(security.adminPassword()).isEqualTo("kept-password");
        assertThat(load(file)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", dataDir.resolve("tls/ca.pem").toString())
                .containsEntry("basic.auth.user.info", AdminSecret.ADMIN_USER + ":kept-password");
        assertThat(dataDir.resolve("tls/ca.pem")).isRegularFile();
        assertThat(dataDir.resolve("secrets/server.p12")).isRegularFile();
    }

    private static Properties load(Path file) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }
}

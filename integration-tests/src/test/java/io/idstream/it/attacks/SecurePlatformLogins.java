package io.idstream.it.attacks;

import io.idstream.platform.AdminSecret;
import io.idstream.platform.ConnectLogin;
import io.idstream.platform.GatewayLogin;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.platform.tls.PlatformTls;
import io.idstream.schemas.registry.RegistryTruststore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** A secure embedded platform for the attacks on its HTTP endpoints, and the logins they are called with. */
final class SecurePlatformLogins {
    private SecurePlatformLogins() {
    }

    /** A platform with {@code --secure} and the given settings besides. */
    static Platform start(Path dataDir, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dataDir));
        settings.put(PlatformConfig.SECURE, true);
        settings.putAll(more);
        return Platform.start(new PlatformConfig(settings));
    }

    /** The operator's password, as the secure platform wrote it for the operator alone. */
    static String adminPassword(Path dataDir) throws IOException {
        Properties admin = new Properties();
        try (InputStream in = Files.newInputStream(AdminSecret.file(dataDir))) {
            admin.load(in);
        }
        return admin.getProperty("idstream.admin.password");
    }

    /** A Kafka user that is not the operator, as {@code identity create} makes one for a consumer. */
    static void addKafkaUser(Platform platform, String user, String password)
            throws ExecutionException, InterruptedException {
        try (Admin kafkaAdmin = Admin.create(platform.clientProperties())) {
            kafkaAdmin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        }
    }

    /** A TLS context that trusts the secure platform's CA, as its clients do. */
    static SSLContext trustingThePlatform(Path dataDir) {
        return RegistryTruststore.sslContext(PlatformTls.caCertificateFile(dataDir), "PEM", null);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The Connect worker's Kafka login as the platform keeps it, over the platform's own protocol settings. */
    static Properties connectWorkerLogin(Platform platform, Path dataDir) throws IOException {
        return serviceLogin(platform, ConnectLogin.file(dataDir));
    }

    /** The holder gateway's Kafka login as the platform keeps it, over the platform's own protocol settings. */
    static Properties gatewayLogin(Platform platform, Path dataDir) throws IOException {
        return serviceLogin(platform, GatewayLogin.file(dataDir));
    }

    /** A producer of raw bytes under the holder gateway's Kafka login: what whoever took the gateway over holds. */
    static KafkaProducer<byte[], byte[]> gatewayProducer(Platform platform, Path dataDir) throws IOException {
        Properties properties = new Properties();
        properties.putAll(gatewayLogin(platform, dataDir));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Properties serviceLogin(Platform platform, Path loginFile) throws IOException {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(loginFile)) {
            file.load(in);
        }
        Properties service = new Properties();
        platform.clientProperties().forEach((key, value) -> {
            if (!String.valueOf(key).startsWith("schema.registry") && !String.valueOf(key).startsWith("basic.auth")) {
                service.put(key, value);
            }
        });
        service.put(SaslConfigs.SASL_JAAS_CONFIG, file.getProperty(SaslConfigs.SASL_JAAS_CONFIG));
        return service;
    }
}

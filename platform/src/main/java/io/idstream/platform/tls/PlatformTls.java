package io.idstream.platform.tls;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.tls.CertificateAuthority;
import io.idstream.crypto.tls.ServerCertificate;
import io.idstream.platform.PlatformException;
import io.idstream.schemas.serde.AvroSerdeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TLS of a secure platform. On the first secure start it makes a CA of its own and a certificate, signed by
 * it, that the broker, the registry and the Connect worker present; clients trust the CA's certificate and check
 * the server's name against it. Files under the data dir:
 * <ul>
 *   <li>{@code tls/ca.pem}: the CA's certificate, what clients trust (public);</li>
 *   <li>{@code secrets/ca-key.pem}: the CA's private key (mode 600);</li>
 *   <li>{@code secrets/server.p12}: the servers' key and certificate chain, PKCS#12 (mode 600), and its password
 *       in {@code secrets/server.p12.password} (mode 600).</li>
 * </ul>
 * At each start the server certificate is made again when it is missing or unreadable, expires within
 * {@link #RENEW_BEFORE}, names other hosts than {@link #HOST_NAMES}, or was not signed by the current CA; the CA
 * itself is made again only when its files are missing or it expires within {@link #RENEW_BEFORE}, and then every
 * client has to trust the new {@code ca.pem}.
 */
public final class PlatformTls {
    /** The names clients reach the platform by, all on 127.0.0.1: the certificate's subject alternative names. */
    public static final List<String> DNS_NAMES = List.of("localhost");
    public static final List<String> IP_ADDRESSES = List.of("127.0.0.1");
    static final Set<String> HOST_NAMES = hostNames();
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Starts certificates a little in the past, so that a client whose clock runs behind still accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(PlatformTls.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path caCertificate;
    private final Path keystore;
    private final String keystorePassword;
    private final ServerCertificate server;

    private PlatformTls(Path caCertificate, Path keystore, String keystorePassword, ServerCertificate server) {
        this.caCertificate = caCertificate;
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.server = server;
    }

    /** Reads the data dir's CA and server certificate, making or renewing them as the class describes. */
    public static PlatformTls loadOrCreate(Path dataDir) {
        return loadOrCreate(dataDir, Clock.systemUTC());
    }

    static PlatformTls loadOrCreate(Path dataDir, Clock clock) {
        Instant now = clock.instant();
        Path caFile = caCertificateFile(dataDir);
        Path caKeyFile = secrets(dataDir).resolve("ca-key.pem");
        Path keystoreFile = secrets(dataDir).resolve("server.p12");
        Path passwordFile = secrets(dataDir).resolve("server.p12.password");
        try {
            createPrivateDirectory(secrets(dataDir));
            Files.createDirectories(caFile.getParent());
            CertificateAuthority ca = loadCa(caFile, caKeyFile, now);
            boolean caIsNew = ca == null;
            if (caIsNew) {
                ca = CertificateAuthority.create("idstream platform CA " + dataDir.getFileName(),
                        now.minus(CLOCK_SKEW), CA_VALIDITY);
                writePrivate(caKeyFile, ca.privateKeyPem());
                writePublic(caFile, ca.certificatePem());
                LOG.info("Made the platform's CA caCertificate={} notAfter={}", caFile,
                        ca.certificate().getNotAfter().toInstant());
            }
            ServerCertificate server = caIsNew ? null : loadServer(keystoreFile, passwordFile, ca, now);
            String password;
            if (server == null) {
                server = ca.issueServerCertificate("idstream platform", DNS_NAMES, IP_ADDRESSES,
                        now.minus(CLOCK_SKEW), SERVER_VALIDITY);
                password = newPassword();
                writePrivate(passwordFile, password);
                writePrivate(keystoreFile, server.toPkcs12(password.toCharArray()));
                LOG.info("Issued the platform's server certificate {} keystore={}", server, keystoreFile);
            } else {
                password = Files.readString(passwordFile).trim();
            }
            return new PlatformTls(caFile, keystoreFile, password, server);
        } catch (IOException e) {
            throw new PlatformException("cannot read or write the platform's TLS files under " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where a data dir keeps the CA certificate that its platform's clients trust. */
    public static Path caCertificateFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("ca.pem");
    }

    /**
     * The settings a client of the data dir's platform reaches it with: Kafka's {@code SASL_SSL}, and the CA for
     * Kafka and, in Confluent's keys, for the registry.
     */
    public static Map<String, String> clientProperties(Path dataDir) {
        String ca = caCertificateFile(dataDir).toString();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", ca);
        properties.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PEM");
        properties.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, ca);
        return properties;
    }

    public Path caCertificate() {
        return caCertificate;
    }

    /** Kafka client settings that trust the CA (hostname verification stays Kafka's default, on). */
    public Map<String, Object> kafkaClientConfigs() {
        return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", caCertificate.toString());
    }

    /** The registry client settings, in Confluent's keys, that trust the CA. */
    public Map<String, String> registryClientConfigs() {
        return Map.of(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PEM",
                AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, caCertificate.toString());
    }

    /** Kafka's server settings (also Connect's REST listener's) that present the server certificate. */
    public Map<String, String> keystoreConfigs() {
        return Map.of("ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", keystore.toString(),
                "ssl.keystore.password", keystorePassword,
                "ssl.key.password", keystorePassword);
    }

    /** The certificate the platform's servers present. */
    ServerCertificate serverCertificate() {
        return server;
    }

    /** A TLS context that presents the server certificate, for the platform's own HTTPS server. */
    public SSLContext serverContext() {
        return server.serverContext();
    }

    @Override
    public String toString() {
        return "PlatformTls[caCertificate=" + caCertificate + ", keystore=" + keystore + ", " + server + "]";
    }

    /** The CA from its files, or null when one is missing or the CA expires soon. */
    private static CertificateAuthority loadCa(Path caFile, Path caKeyFile, Instant now) throws IOException {
        if (!Files.exists(caFile) || !Files.exists(caKeyFile)) {
            return null;
        }
        CertificateAuthority ca;
        try {
            ca = CertificateAuthority.fromPem(Files.readString(caFile), Files.readString(caKeyFile));
        } catch (CryptoException e) {
            throw new PlatformException("the platform's CA in " + caFile + " and " + caKeyFile + " cannot be used: "
                    + e.getMessage() + "; remove both to make a new CA, which every client must then trust");
        }
        if (expiresWithin(ca.certificate().getNotAfter().toInstant(), now)) {
            LOG.warn("The platform's CA expires soon; making a new one, which every client must trust "
                    + "caCertificate={} notAfter={}", caFile, ca.certificate().getNotAfter().toInstant());
            return null;
        }
        return ca;
    }

    /** The server certificate from its keystore, or null when it must be made (again). */
    private static ServerCertificate loadServer(Path keystoreFile, Path passwordFile, CertificateAuthority ca,
                                                Instant now) throws IOException {
        if (!Files.exists(keystoreFile) || !Files.exists(passwordFile)) {
            return null;
        }
        ServerCertificate server;
        try {
            server = ServerCertificate.fromPkcs12(Files.readAllBytes(keystoreFile),
                    Files.readString(passwordFile).trim().toCharArray());
        } catch (CryptoException e) {
            LOG.warn("The server keystore cannot be read; issuing a new certificate keystore={} reason={}",
                    keystoreFile, e.getMessage());
            return null;
        }
        String renewal = null;
        if (!ca.signed(server.certificate())) {
            renewal = "not signed by the current CA";
        } else if (!server.subjectAlternativeNames().equals(HOST_NAMES)) {
            renewal = "names " + server.subjectAlternativeNames() + " instead of " + HOST_NAMES;
        } else if (expiresWithin(server.certificate().getNotAfter().toInstant(), now)) {
            renewal = "expires " + server.certificate().getNotAfter().toInstant();
        }
        if (renewal != null) {
            LOG.info("Renewing the platform's server certificate reason={}", renewal);
            return null;
        }
        return server;
    }

    private static boolean expiresWithin(Instant notAfter, Instant now) {
        return !notAfter.isAfter(now.plus(RENEW_BEFORE));
    }

    private static Path secrets(Path dataDir) {
        return dataDir.resolve("secrets");
    }

    private static Set<String> hostNames() {
        Set<String> names = new TreeSet<>();
        DNS_NAMES.forEach(name -> names.add("DNS:" + name));
        IP_ADDRESSES.forEach(address -> names.add("IP:" + address));
        return Set.copyOf(names);
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        writePrivate(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a file only its owner can read, whole or not at all. */
    private static void writePrivate(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePublic(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(partial, text);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

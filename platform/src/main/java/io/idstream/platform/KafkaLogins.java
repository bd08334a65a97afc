package io.idstream.platform;

import io.idstream.topics.ScramLogins;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Who may use the HTTP APIs of a secure platform (the schema registry, the Connect worker): the Kafka users the
 * platform knows, by their SCRAM login, sent as HTTP basic authentication (for the registry, Confluent's
 * {@code basic.auth.credentials.source=USER_INFO} with {@code basic.auth.user.info=user:password}). The broker holds
 * only salted SCRAM verifiers, so a password is checked by logging in to the broker with it; a login that succeeded
 * is remembered for {@link #REMEMBERED} by a hash of the password, so a serializer's requests do not each cost a
 * login, and a changed or deleted Kafka user is refused within that time.
 */
public final class KafkaLogins {
    /** How long a successful login is taken as proof of the password. */
    static final Duration REMEMBERED = Duration.ofMinutes(5);
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * What a user name or password may hold: printable ASCII without the quote and backslash, which would break
     * out of the JAAS line the login is made with. Kafka user ids and the platform's passwords are within it.
     */
    private static final Pattern JAAS_SAFE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,256}");
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLogins.class);

    private final String bootstrapServers;
    private final Map<String, Object> clientConfigs;
    private final String operatorUser;
    private final Map<String, RememberedLogin> remembered = new ConcurrentHashMap<>();

    private record RememberedLogin(byte[] passwordHash, Instant until) {
    }

    /**
     * @param bootstrapServers the broker that knows the users
     * @param clientConfigs    the platform's Kafka client settings (protocol, mechanism); their login is replaced
     * @param operatorUser     the operator's service principal, the one user that may change what the APIs serve
     */
    public KafkaLogins(String bootstrapServers, Map<String, Object> clientConfigs, String operatorUser) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfigs = Map.copyOf(clientConfigs);
        this.operatorUser = operatorUser;
    }

    /**
     * The user an {@code Authorization} header logs in as, or empty when it is missing, malformed or wrong.
     *
     * @throws PlatformException when Kafka cannot be asked
     */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String userInfo;
        try {
            userInfo = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = userInfo.substring(0, colon);
        String password = userInfo.substring(colon + 1);
        if (!JAAS_SAFE.matcher(user).matches() || !JAAS_SAFE.matcher(password).matches()) {
            return Optional.empty();
        }
        byte[] hash = sha256(user + '\0' + password);
        RememberedLogin login = remembered.get(user);
        if (login != null && Instant.now().isBefore(login.until())
                && MessageDigest.isEqual(login.passwordHash(), hash)) {
            return Optional.of(user);
        }
        if (!logsIn(user, password)) {
            LOG.info("Refused an HTTP login user={}", user);
            return Optional.empty();
        }
        remembered.put(user, new RememberedLogin(hash, Instant.now().plus(REMEMBERED)));
        return Optional.of(user);
    }

    public boolean isOperator(String user) {
        return operatorUser.equals(user);
    }

    public String operatorUser() {
        return operatorUser;
    }

    private boolean logsIn(String user, String password) {
        Map<String, Object> configs = new HashMap<>(clientConfigs);
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        configs.put(SaslConfigs.SASL_JAAS_CONFIG, ScramLogins.jaas(user, password));
        configs.put(AdminClientConfig.CLIENT_ID_CONFIG, "idstream-http-login");
        configs.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) LOGIN_TIMEOUT.toMillis());
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) LOGIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(configs)) {
            admin.describeCluster().clusterId().get(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                return false;
            }
            throw new PlatformException("cannot check the login with Kafka: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new PlatformException("cannot check the login with Kafka: no answer within "
                    + LOGIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while checking a login with Kafka", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

package io.idstream.connectors.webhook;

import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.sdk.webhook.WebhookSecret;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the webhook sink, declared once; a bad value fails the connector's start naming its key. */
public final class DeliveryWebhookSinkConfig extends AbstractConfig {
    public static final String TOPICS = "topics";
    public static final String WEBHOOK_URL = "webhook.url";
    public static final String WEBHOOK_SECRET = "webhook.secret";
    public static final String WEBHOOK_ALLOW_PRIVATE_ADDRESSES = "webhook.allow.private.addresses";
    public static final String WEBHOOK_TIMEOUT_MS = "webhook.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    /** The serdes' own key, so the connector's registry setting reads like every other idstream client's. */
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;
    /** The registry login of a secure platform, in the serdes' (Confluent's) key. */
    public static final String BASIC_AUTH_USER_INFO = AvroSerdeConfig.BASIC_AUTH_USER_INFO;
    /** The CA an https:// registry is checked against (a secure platform's tls/ca.pem), in the serdes' key. */
    public static final String REGISTRY_TRUSTSTORE_LOCATION = AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION;
    public static final String REGISTRY_TRUSTSTORE_TYPE = AvroSerdeConfig.SSL_TRUSTSTORE_TYPE;

    /** Backoff doubles per attempt up to this, so a long outage is polled, not hammered. */
    static final long MAX_BACKOFF_MS = 60_000;

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPICS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.LambdaValidator.with(
                    (name, value) -> {
                        if (value == null || ((List<?>) value).isEmpty()) {
                            throw new ConfigException(name, value, "list at least one delivery topic");
                        }
                    }, () -> "non-empty list"), Importance.HIGH,
                    "The delivery topics whose events are POSTed, usually the one consumer's "
                            + "idstream.deliveries.<consumer id>.")
            .define(WEBHOOK_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new WebhookUrlValidator(), Importance.HIGH,
                    "The consumer's endpoint. HTTPS; plain HTTP only to a loopback address (a receiver on the "
                            + "same host). The rule holds for the address each connection goes to, resolved anew "
                            + "for every POST.")
            .define(WEBHOOK_ALLOW_PRIVATE_ADDRESSES, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Whether the https endpoint may be at a private address: 10/8, 172.16/12, 192.168/16, "
                            + "100.64/10, link-local 169.254/16 (cloud metadata services) and fe80::/10, unique "
                            + "local fc00::/7, 0.0.0.0. Off, such a URL fails the start and a name that resolves "
                            + "there is not connected to, so that a consumer's URL cannot reach the platform's own "
                            + "network. Loopback stays allowed either way; plain http stays loopback only.")
            .define(WEBHOOK_SECRET, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new SecretValidator(), Importance.HIGH,
                    "Standard Webhooks signing secret shared with the consumer, " + WebhookSecret.PREFIX
                            + "<base64 key>: the key (at least " + WebhookSecret.MIN_KEY_BYTES + " bytes) keys the "
                            + "HMAC-SHA256 in the webhook-signature header. Never logged.")
            .define(WEBHOOK_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.between(1, 600_000), Importance.MEDIUM,
                    "How long one POST may take, from connecting to the last byte of the answer read, before the "
                            + "attempt counts as failed (and is retried).")
            .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Retries of one record after a 5xx, 408, 429, timeout or connection failure; after the last, the "
                            + "record goes to the errant record reporter (dead-letter topic) and the next one goes.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Wait before the first retry; it doubles with each further retry, up to " + MAX_BACKOFF_MS
                            + " ms.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Schema Registry that resolves the delivery events' schema ids (records are "
                            + "read as bytes: value.converter=org.apache.kafka.connect.converters.ByteArrayConverter).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password with which to log in to the Schema Registry (a secure platform's registry asks "
                            + "for a Kafka user's login); unset for none. Never logged.")
            .define(REGISTRY_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "The certificates an https:// registry is checked against (a secure platform's "
                            + "<data dir>/tls/ca.pem); unset trusts the Java runtime's CAs.")
            .define(REGISTRY_TRUSTSTORE_TYPE, Type.STRING, "PEM", ConfigDef.ValidString.in("PEM", "PKCS12", "JKS"),
                    Importance.LOW, "The format of " + REGISTRY_TRUSTSTORE_LOCATION + ".");

    public final List<String> topics;
    public final URI webhookUrl;
    public final boolean allowPrivateAddresses;
    public final Password webhookSecret;
    public final WebhookSecret signingSecret;
    public final Duration webhookTimeout;
    public final int maxRetries;
    public final long retryBackoffMs;
    public final String schemaRegistryUrl;
    /** The registry login, or null for none. */
    public final Password schemaRegistryLogin;
    /** The registry's truststore settings, in the serdes' keys; empty for the Java runtime's CAs. */
    public final Map<String, String> schemaRegistryTrust;

    public DeliveryWebhookSinkConfig(Map<String, String> props) {
        this(props, HostResolver.SYSTEM);
    }

    /** The settings, with the URL's host resolved by {@code resolver} to check, at start, where it leads. */
    public DeliveryWebhookSinkConfig(Map<String, String> props, HostResolver resolver) {
        // Not logged by AbstractConfig: it would print webhook.url whole, and a URL may carry a token.
        super(DEFINITION, props, false);
        topics = getList(TOPICS);
        webhookUrl = URI.create(getString(WEBHOOK_URL));
        allowPrivateAddresses = getBoolean(WEBHOOK_ALLOW_PRIVATE_ADDRESSES);
        checkWhereTheUrlLeads(resolver);
        webhookSecret = getPassword(WEBHOOK_SECRET);
        signingSecret = WebhookSecret.parse(webhookSecret.value());
        webhookTimeout = Duration.ofMillis(getInt(WEBHOOK_TIMEOUT_MS));
        maxRetries = getInt(MAX_RETRIES);
        retryBackoffMs = getLong(RETRY_BACKOFF_MS);
        schemaRegistryUrl = getString(SCHEMA_REGISTRY_URL);
        schemaRegistryLogin = getPassword(BASIC_AUTH_USER_INFO);
        schemaRegistryTrust = getString(REGISTRY_TRUSTSTORE_LOCATION) == null ? Map.of()
                : Map.of(REGISTRY_TRUSTSTORE_LOCATION, getString(REGISTRY_TRUSTSTORE_LOCATION),
                        REGISTRY_TRUSTSTORE_TYPE, getString(REGISTRY_TRUSTSTORE_TYPE));
    }

    /** The address rule of every connection, with this config's opt-in. */
    WebhookAddressPolicy addressPolicy() {
        return new WebhookAddressPolicy(allowPrivateAddresses);
    }

    /**
     * Fails the start on a URL that no connection could take: one whose host resolves only to refused addresses.
     * An https host that does not resolve yet is left to the connections; a plain http one is refused, since
     * nothing shows it is loopback. The same rule is applied again at every connection.
     */
    private void checkWhereTheUrlLeads(HostResolver resolver) {
        String host = webhookUrl.getHost().startsWith("[")
                ? webhookUrl.getHost().substring(1, webhookUrl.getHost().length() - 1) : webhookUrl.getHost();
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            if ("http".equalsIgnoreCase(webhookUrl.getScheme())) {
                throw new ConfigException(WEBHOOK_URL, shown(webhookUrl), "the host does not resolve, and "
                        + WebhookAddressPolicy.PLAIN_HTTP_RULE);
            }
            return;
        }
        WebhookAddressPolicy policy = addressPolicy();
        String firstRefusal = null;
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(webhookUrl.getScheme(), address);
            if (refusal.isEmpty()) {
                return;
            }
            firstRefusal = firstRefusal != null ? firstRefusal
                    : "resolves to " + address.getHostAddress() + ": " + refusal.get();
        }
        throw new ConfigException(WEBHOOK_URL, shown(webhookUrl), firstRefusal);
    }

    /**
     * The webhook's URL as logs and errors show it: scheme, host and port. A user name and password, the path and the
     * query are left out, since endpoints often take a token in one of them.
     */
    static String shown(URI url) {
        String rest = (url.getRawPath() == null || url.getRawPath().isEmpty() || "/".equals(url.getRawPath()))
                && url.getRawQuery() == null ? "" : "/...";
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + rest;
    }

    /** {@link #webhookUrl} as logs show it: see {@link #shown}. */
    String shownWebhookUrl() {
        return shown(webhookUrl);
    }

    /** The wait before retry number {@code attempt} (1-based). */
    long backoffMs(int attempt) {
        long backoff = retryBackoffMs;
        for (int i = 1; i < attempt && backoff < MAX_BACKOFF_MS; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, Math.max(retryBackoffMs, MAX_BACKOFF_MS));
    }

    static final class WebhookUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "a URL is required");
            }
            URI uri;
            try {
                uri = new URI((String) value);
            } catch (URISyntaxException e) {
                throw new ConfigException(name, "(not shown)", "not a URL: " + e.getReason());
            }
            if (uri.getHost() == null) {
                throw new ConfigException(name, "(not shown)", "the URL needs a host");
            }
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                return;
            }
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new ConfigException(name, shown(uri), "the URL must be https");
            }
            // Where the host leads is checked with the host resolved, at start and at every connection.
        }

        @Override
        public String toString() {
            return "https URL, or http to a loopback address";
        }
    }

    static final class SecretValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "a " + WebhookSecret.PREFIX + " secret is required");
            }
            try {
                WebhookSecret.parse(((Password) value).value());
            } catch (IllegalArgumentException e) {
                // ConfigException prints the value it is given; a password shows as [hidden].
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return WebhookSecret.PREFIX + "<base64 key of at least " + WebhookSecret.MIN_KEY_BYTES + " bytes>";
        }
    }
}

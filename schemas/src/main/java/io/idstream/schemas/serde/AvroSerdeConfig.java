package io.idstream.schemas.serde;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

import java.util.Map;

/**
 * Settings of idstream's Avro serdes. The keys are Confluent's own, so a properties file written for Confluent's
 * serializers configures these unchanged.
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Base URL of a Confluent-API Schema Registry, such as http://127.0.0.1:8081.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether the serializer registers its schema under the topic's subject; when false the schema "
                            + "must already be registered there.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic authentication to the registry; unset for none.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How long one registry request may take, in milliseconds.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "The certificates an https:// registry's certificate is checked against (a secure platform's "
                            + "<data dir>/tls/ca.pem); unset trusts the Java runtime's CAs.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", ConfigDef.ValidString.in("PEM", "PKCS12", "JKS"),
                    Importance.LOW, "The format of " + SSL_TRUSTSTORE_LOCATION + ": PEM, PKCS12 or JKS.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                    "The password of a PKCS12 or JKS truststore; unset for none.");

    public AvroSerdeConfig(Map<?, ?> originals) {
        super(DEFINITION, originals);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public String basicAuthUserInfo() {
        Password password = getPassword(BASIC_AUTH_USER_INFO);
        return password == null ? null : password.value();
    }

    public int requestTimeoutMs() {
        return getInt(REQUEST_TIMEOUT_MS);
    }

    /** The registry's truststore file, or null to trust the Java runtime's CAs. */
    public String truststoreLocation() {
        return getString(SSL_TRUSTSTORE_LOCATION);
    }

    public String truststoreType() {
        return getString(SSL_TRUSTSTORE_TYPE);
    }

    /** The truststore's password, or null for none. */
    public char[] truststorePassword() {
        Password password = getPassword(SSL_TRUSTSTORE_PASSWORD);
        return password == null ? null : password.value().toCharArray();
    }
}

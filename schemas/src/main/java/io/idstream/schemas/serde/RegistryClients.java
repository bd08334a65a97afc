package io.idstream.schemas.serde;

import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.registry.RegistryTruststore;
import io.idstream.schemas.registry.SchemaRegistry;
import io.idstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.ConfigException;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The registry a serde's settings name: the in-process {@link LocalSchemaRegistry} for a {@code mock://} URL,
 * otherwise an HTTP client of a Confluent-API registry, trusting the truststore the settings name for an
 * {@code https://} one. A URL that is neither, or a truststore that cannot be read, fails as bad config of its key.
 */
final class RegistryClients {
    private RegistryClients() {
    }

    static SchemaRegistry fromConfig(AvroSerdeConfig config) {
        if (config.schemaRegistryUrl().startsWith(LocalSchemaRegistry.URL_SCHEME)) {
            return LocalSchemaRegistry.forUrl(config.schemaRegistryUrl());
        }
        SSLContext trust = null;
        if (config.truststoreLocation() != null) {
            try {
                trust = RegistryTruststore.sslContext(Path.of(config.truststoreLocation()), config.truststoreType(),
                        config.truststorePassword());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, config.truststoreLocation(),
                        e.getMessage());
            }
        }
        try {
            return new SchemaRegistryClient(config.schemaRegistryUrl(),
                    Duration.ofMillis(config.requestTimeoutMs()), config.basicAuthUserInfo(), trust);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl(), e.getMessage());
        }
    }
}

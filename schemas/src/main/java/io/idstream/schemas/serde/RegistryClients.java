package io.idstream.schemas.serde;

import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.schemas.registry.SchemaRegistry;
import io.idstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;

/**
 * The registry a serde's settings name: the in-process {@link LocalSchemaRegistry} for a {@code mock://} URL,
 * otherwise an HTTP client of a Confluent-API registry. A URL that is neither fails as bad config of
 * {@code schema.registry.url}.
 */
final class RegistryClients {
    private RegistryClients() {
    }

    static SchemaRegistry fromConfig(AvroSerdeConfig config) {
        if (config.schemaRegistryUrl().startsWith(LocalSchemaRegistry.URL_SCHEME)) {
            return LocalSchemaRegistry.forUrl(config.schemaRegistryUrl());
        }
        try {
            return new SchemaRegistryClient(config.schemaRegistryUrl(),
                    Duration.ofMillis(config.requestTimeoutMs()), config.basicAuthUserInfo());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL, config.schemaRegistryUrl(), e.getMessage());
        }
    }
}

package io.idstream.topics;

import io.idstream.schemas.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes the topics of one deployment: names them under its prefix, sizes them with its partition count and
 * replication factor ({@link TopicCatalogConfig}), and gives Avro topics serdes configured with its registry
 * settings. {@link TopicCatalog} uses one for its fixed topics and keeps it for the delivery topics that come with
 * each consumer.
 */
public final class TopicFactory {
    private final TopicCatalogConfig config;
    private final Map<String, Object> serdeConfigs;

    TopicFactory(Map<String, ?> configs) {
        this.config = new TopicCatalogConfig(configs);
        this.serdeConfigs = Map.copyOf(configs);
    }

    /** {@code <prefix>.<suffix>}. */
    public String name(String suffix) {
        return config.topicPrefix() + "." + suffix;
    }

    /** The partition count every holder-keyed topic shares. */
    public int partitions() {
        return config.partitions();
    }

    /** The generation of the holder-keyed topics, {@link TopicCatalogConfig#GENERATION}. */
    public int generation() {
        return config.generation();
    }

    /**
     * {@code <prefix>.<suffix>} in generation 0, {@code <prefix>.g<generation>.<suffix>} after: the name of a
     * holder-keyed topic that moves to a new generation when the partition count grows.
     */
    public String generationName(String suffix) {
        int generation = config.generation();
        return generation == 0 ? name(suffix) : name("g" + generation + "." + suffix);
    }

    /** A holder-keyed topic of this generation ({@link #generationName}), as {@link #avroTopic} makes it. */
    public <V extends SpecificRecord> Topic<String, V> generationTopic(String suffix,
                                                                      Map<String, String> topicConfigs,
                                                                      Class<V> valueType) {
        return namedAvroTopic(generationName(suffix), topicConfigs, valueType);
    }

    /** A holder-keyed topic of String keys and Avro values, its value serde configured on first use. */
    public <V extends SpecificRecord> Topic<String, V> avroTopic(String suffix, Map<String, String> topicConfigs,
                                                                Class<V> valueType) {
        return namedAvroTopic(name(suffix), topicConfigs, valueType);
    }

    private <V extends SpecificRecord> Topic<String, V> namedAvroTopic(String name, Map<String, String> topicConfigs,
                                                                      Class<V> valueType) {
        Supplier<Serde<V>> valueSerde = () -> {
            SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(valueType);
            serde.configure(serdeConfigs, false);
            return serde;
        };
        return new Topic<>(name, config.partitions(), config.replicationFactor(), topicConfigs,
                Serdes::String, valueSerde);
    }

    /** A topic of raw bytes, named as given rather than under the prefix. */
    public Topic<byte[], byte[]> bytesTopic(String name, int partitions, Map<String, String> topicConfigs) {
        return new Topic<>(name, partitions, config.replicationFactor(), topicConfigs,
                Serdes::ByteArray, Serdes::ByteArray);
    }
}

package io.idstream.topics;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A topic as the catalogue defines it: name, partition count, replication factor, the topic configs idstream manages
 * (cleanup policy, retention), and the serdes of its keys and values. Serdes are built on first use, so a catalogue
 * made without a schema registry still provisions topics.
 */
public final class Topic<K, V> {
    private final String name;
    private final int partitions;
    private final short replicationFactor;
    private final Map<String, String> configs;
    private final Lazy<Serde<K>> keySerde;
    private final Lazy<Serde<V>> valueSerde;

    Topic(String name, int partitions, short replicationFactor, Map<String, String> configs,
          Supplier<Serde<K>> keySerde, Supplier<Serde<V>> valueSerde) {
        this.name = Objects.requireNonNull(name, "name");
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.configs = Map.copyOf(configs);
        this.keySerde = new Lazy<>(keySerde);
        this.valueSerde = new Lazy<>(valueSerde);
    }

    public String name() {
        return name;
    }

    public int partitions() {
        return partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** The topic-level configs the catalogue sets and the provisioner checks for drift. */
    public Map<String, String> configs() {
        return configs;
    }

    public Serde<K> keySerde() {
        return keySerde.get();
    }

    public Serde<V> valueSerde() {
        return valueSerde.get();
    }

    public NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class Lazy<T> {
        private final Supplier<T> supplier;
        private volatile T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            T result = value;
            if (result == null) {
                synchronized (this) {
                    result = value;
                    if (result == null) {
                        result = supplier.get();
                        value = result;
                    }
                }
            }
            return result;
        }
    }
}

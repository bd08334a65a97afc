package io.idstream.topics;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A topic as the catalogue defines it: name, partition count, configured replication factor ({@code -1} for the
 * cluster's default, which {@link TopicProvisioner#replication} resolves), the topic configs idstream manages
 * (cleanup policy, retention, which the provisioner also checks for drift), and how to make the serdes of its keys
 * and values. Take topics from {@link TopicCatalog} rather than building them; serdes are built on first use of
 * {@link #keySerde()} or {@link #valueSerde()}, so a catalogue made without a schema registry still provisions topics.
 */
public record Topic<K, V>(String name, int partitions, short replicationFactor, Map<String, String> configs,
                          Supplier<Serde<K>> keySerdes, Supplier<Serde<V>> valueSerdes) {

    public Topic {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
        keySerdes = new Lazy<>(keySerdes);
        valueSerdes = new Lazy<>(valueSerdes);
    }

    /** The key serde, made and configured on the first call and the same instance afterwards. */
    public Serde<K> keySerde() {
        return keySerdes.get();
    }

    /** The value serde, made and configured on the first call and the same instance afterwards. */
    public Serde<V> valueSerde() {
        return valueSerdes.get();
    }

    /** The topic to create with this replication: its factor, and min.insync.replicas from RF 3 on. */
    public NewTopic newTopic(Replication replication) {
        Map<String, String> all = new HashMap<>(configs);
        all.putAll(replication.topicConfigs());
        return new NewTopic(name, partitions, replication.factor()).configs(all);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> supplier;
        private volatile T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = Objects.requireNonNull(supplier, "supplier");
        }

        @Override
        public T get() {
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

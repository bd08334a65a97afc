package io.idstream.bench.pipeline;

import io.idstream.processors.GuardedProcessor;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;

/**
 * The platform JVM's heap and its processors' Kafka consumer, read over JMX on 127.0.0.1: used and maximum heap, the
 * longest time between two polls of a stream thread's consumer, and how many rebalances the stream threads went
 * through. The platform process is started with {@link #jvmOptions} to listen there, without authentication (it
 * listens on loopback only, for the length of the run).
 */
final class PlatformJmx implements AutoCloseable {
    static final double MB = 1024.0 * 1024.0;
    private static final String CONSUMERS = "kafka.consumer:type=%s,client-id=*";

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final MemoryMXBean memory;

    private PlatformJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        this.memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static List<String> jvmOptions(int port) {
        return List.of("-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
    }

    static PlatformJmx connect(int port) throws IOException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return new PlatformJmx(JMXConnectorFactory.connect(url));
    }

    MemoryUsage heap() {
        return memory.getHeapMemoryUsage();
    }

    /** Used heap right after a full collection, in MiB. */
    double usedAfterGcMb() {
        memory.gc();
        return heap().getUsed() / MB;
    }

    /** The longest time between two polls of any stream thread's consumer in the metric's window, in ms. */
    double maxPollIntervalMs() throws IOException {
        return combine(CONSUMERS.formatted("consumer-metrics"), "time-between-poll-max", Math::max);
    }

    /** Rebalances the stream threads' consumers went through, over every thread the platform ran. */
    double rebalances() throws IOException {
        return combine(CONSUMERS.formatted("consumer-coordinator-metrics"), "rebalance-total", Double::sum);
    }

    private double combine(String pattern, String attribute, DoubleBinaryOperator combine)
            throws IOException {
        double total = 0;
        for (ObjectName name : server.queryNames(objectName(pattern), null)) {
            String clientId = name.getKeyProperty("client-id");
            // A stream thread's main consumer, not its restore consumer nor the global store's.
            if (!clientId.contains("StreamThread-") || clientId.contains("restore")) {
                continue;
            }
            try {
                Object value = server.getAttribute(name, attribute);
                if (value instanceof Number number && !Double.isNaN(number.doubleValue())
                        && !Double.isInfinite(number.doubleValue())) {
                    total = combine.applyAsDouble(total, number.doubleValue());
                }
            } catch (JMException e) {
                // A thread that left meanwhile: its figures went with it.
            }
        }
        return total;
    }

    private static ObjectName objectName(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(pattern, e);
        }
    }

    /** The processors' refusals by reason code, summed over their stream threads. */
    Map<String, Double> rejections() throws IOException {
        return processorsCounts("reason", "rejected-total");
    }

    /** The processors' audited outcomes (PENDING, DELIVERED, ...), summed over their stream threads. */
    Map<String, Double> outcomes() throws IOException {
        return processorsCounts("outcome", "outcomes-total");
    }

    private Map<String, Double> processorsCounts(String tag, String attribute) throws IOException {
        Map<String, Double> counts = new TreeMap<>();
        for (ObjectName name : server.queryNames(objectName("kafka.streams:type=" + GuardedProcessor.METRICS_GROUP
                + ",*"), null)) {
            String value = name.getKeyProperty(tag);
            if (value == null) {
                continue;
            }
            try {
                counts.merge(value, ((Number) server.getAttribute(name, attribute)).doubleValue(), Double::sum);
            } catch (JMException e) {
                // A thread that left meanwhile.
            }
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}

package io.idstream.platform.connect;

import io.idstream.platform.PlatformException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Kafka Connect worker (distributed mode, so connectors are created through Connect's REST API and their
 * configs, offsets and status live in Kafka topics and survive a restart), its REST API on 127.0.0.1. Records are
 * read with string keys and byte values by default, as the webhook sink wants them.
 */
public final class EmbeddedConnect implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    public static final String GROUP_ID = "idstream-connect";
    public static final String CONFIG_TOPIC = "idstream-connect-configs";
    public static final String OFFSET_TOPIC = "idstream-connect-offsets";
    public static final String STATUS_TOPIC = "idstream-connect-status";

    private final Connect<DistributedHerder> connect;
    private final URI url;

    private EmbeddedConnect(Connect<DistributedHerder> connect, URI url) {
        this.connect = connect;
        this.url = url;
    }

    /**
     * Starts the worker and returns once its REST API answers and it has joined its group.
     *
     * @param clientConfigs the Kafka client settings it connects with (security included)
     * @param port          REST port on 127.0.0.1; 0 picks a free one
     * @param pluginPath    Connect's {@code plugin.path}, or null for plugins on the class path only
     */
    public static EmbeddedConnect start(String bootstrapServers, Map<String, Object> clientConfigs, int port,
                                        Path pluginPath) {
        Map<String, String> worker = new HashMap<>();
        worker.put("bootstrap.servers", bootstrapServers);
        // The worker's own clients take the top-level settings; connectors' clients the prefixed ones.
        clientConfigs.forEach((key, value) -> {
            for (String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
                worker.put(prefix + key, String.valueOf(value));
            }
        });
        worker.put("group.id", GROUP_ID);
        worker.put("config.storage.topic", CONFIG_TOPIC);
        worker.put("offset.storage.topic", OFFSET_TOPIC);
        worker.put("status.storage.topic", STATUS_TOPIC);
        // One broker: one replica of everything.
        worker.put("config.storage.replication.factor", "1");
        worker.put("offset.storage.replication.factor", "1");
        worker.put("status.storage.replication.factor", "1");
        worker.put("offset.storage.partitions", "5");
        worker.put("status.storage.partitions", "1");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // Commit sink offsets every second, so a restart resumes close to where it stopped.
        worker.put("offset.flush.interval.ms", "1000");
        // A lone worker that restarts is the same worker: take its connectors back now, not after the default
        // five minutes of waiting for a departed member to return.
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        worker.put("listeners", "http://127.0.0.1:" + port);
        worker.put("rest.advertised.host.name", "127.0.0.1");
        // Plugins declare themselves in META-INF/services (KIP-898): no slow scan of every jar.
        worker.put("plugin.discovery", "service_load");
        if (pluginPath != null) {
            worker.put("plugin.path", pluginPath.toAbsolutePath().toString());
        }
        // ConnectDistributed calls Exit.exit(3) when it cannot start; in the platform's process that is a failed
        // start to report, not a reason to end the JVM.
        Connect<DistributedHerder> connect;
        Exit.setExitProcedure((status, message) -> {
            throw new PlatformException("the Connect worker cannot start" + (message == null ? "" : ": " + message));
        });
        try {
            connect = new ConnectDistributed().startConnect(worker);
        } finally {
            Exit.resetExitProcedure();
        }
        EmbeddedConnect embedded = new EmbeddedConnect(connect, connect.rest().serverUrl());
        try {
            embedded.awaitReady();
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        LOG.info("Connect worker up url={} pluginPath={}", embedded.url, pluginPath);
        return embedded;
    }

    /** The REST API, e.g. {@code http://127.0.0.1:8083/}. */
    public URI url() {
        return url;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                // Lists connectors only once the worker has joined its group and read the config topic.
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/connectors"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for the Connect worker");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for the Connect worker");
            }
        }
        throw new PlatformException("the Connect worker did not become ready within " + READY_TIMEOUT.toSeconds()
                + " s (" + last + ")");
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}

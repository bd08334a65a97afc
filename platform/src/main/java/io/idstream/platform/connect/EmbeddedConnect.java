package io.idstream.platform.connect;

import io.idstream.platform.PlatformException;
import io.idstream.topics.Replication;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kafka Connect worker (distributed mode, so connectors are created through Connect's REST API and their
 * configs, offsets and status live in Kafka topics and survive a restart), its REST API on 127.0.0.1. Records are
 * read with string keys and byte values by default, as the webhook sink wants them. Connector configs name their
 * secrets through the {@value #FILE_CONFIG_PROVIDER} config provider, so the secrets are neither stored in the
 * config topic nor shown by the REST API.
 */
public final class EmbeddedConnect implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    public static final String GROUP_ID = "idstream-connect";
    /**
     * What the names of the worker's topics start with: its internal topics, and the dead-letter topics of its
     * connectors, which on a secure platform must be named so ({@code idstream-connect.dlq.<connector>}).
     */
    public static final String TOPIC_PREFIX = "idstream-connect";
    /** The config provider a connector config names a secret with: {@code ${file:<path>:<key>}}. */
    public static final String FILE_CONFIG_PROVIDER = "file";
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
     * Starts the worker and returns once it has joined its group and read its configs, ready to serve its REST API.
     *
     * @param clientConfigs the Kafka client settings it connects with (security included)
     * @param port          REST port on 127.0.0.1; 0 picks a free one
     * @param pluginPath    Connect's {@code plugin.path}, or null for plugins on the class path only
     * @param restOperator  the Kafka user the REST API serves ({@link OperatorOnlyRestExtension}), or null to
     *                      serve anyone who reaches it
     * @param secretsDir    the directory whose properties files connector configs may name a secret from, as
     *                      {@code ${file:<secretsDir>/<file>:<key>}}; Connect keeps and shows the placeholder, and
     *                      resolves it only when it hands the config to the connector
     * @param restKeystore  the keystore settings ({@code ssl.keystore.*}) of the certificate the REST API serves
     *                      HTTPS with, or null for plain HTTP
     * @param replication   the replication provisioning resolved, which the worker's internal topics get too
     */
    public static EmbeddedConnect start(String bootstrapServers, Map<String, Object> clientConfigs, int port,
                                        Path pluginPath, String restOperator, Path secretsDir,
                                        Map<String, String> restKeystore, Replication replication) {
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
        worker.putAll(internalTopicReplication(replication));
        worker.put("offset.storage.partitions", "5");
        worker.put("status.storage.partitions", "1");
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // Commit sink offsets every second, so a restart resumes close to where it stopped.
        worker.put("offset.flush.interval.ms", "1000");
        // A lone worker that restarts is the same worker: take its connectors back now, not after the default
        // five minutes of waiting for a departed member to return.
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        if (restKeystore == null) {
            worker.put("listeners", "http://127.0.0.1:" + port);
        } else {
            // The REST server takes only the listeners.https.-prefixed TLS settings once one is given, so the
            // top-level ssl.* ones (the clients' truststore) stay the Kafka clients'.
            worker.put("listeners", "https://127.0.0.1:" + port);
            worker.put("rest.advertised.listener", "https");
            restKeystore.forEach((key, value) -> worker.put("listeners.https." + key, value));
        }
        worker.put("rest.advertised.host.name", "127.0.0.1");
        if (restOperator != null) {
            worker.put("rest.extension.classes", OperatorOnlyRestExtension.class.getName());
            worker.put(OperatorOnlyRestExtension.OPERATOR_USER, restOperator);
        }
        // webhook.secret and the like stay out of the config topic and the REST API (KIP-297); only files in the
        // secrets directory may be named, so a connector config cannot read any other file of the worker's.
        worker.put("config.providers", FILE_CONFIG_PROVIDER);
        worker.put("config.providers." + FILE_CONFIG_PROVIDER + ".class", FileConfigProvider.class.getName());
        worker.put("config.providers." + FILE_CONFIG_PROVIDER + ".param.allowed.paths",
                secretsDir.toAbsolutePath().toString());
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

    /**
     * The worker's settings for its config, offset and status topics: the resolved replication factor, and from RF 3
     * on their {@code min.insync.replicas} through Connect's {@code <config|offset|status>.storage.} topic settings,
     * so that the connectors' configs and offsets survive a broker as the catalogue's topics do.
     */
    static Map<String, String> internalTopicReplication(Replication replication) {
        Map<String, String> settings = new HashMap<>();
        for (String storage : List.of("config.storage.", "offset.storage.", "status.storage.")) {
            settings.put(storage + "replication.factor", Short.toString(replication.factor()));
            replication.topicConfigs().forEach((key, value) -> settings.put(storage + key, value));
        }
        return settings;
    }

    /** The REST API, e.g. {@code http://127.0.0.1:8083/} ({@code https://} on a secure platform). */
    public URI url() {
        return url;
    }

    /**
     * Asks the herder for a health check and waits for its answer: the herder answers only from its main loop,
     * once it has joined its group and read the config topic, which is what the REST API needs to serve requests.
     */
    private void awaitReady() {
        FutureCallback<Void> ready = new FutureCallback<>();
        connect.herder().healthCheck(ready);
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PlatformException("the Connect worker did not become ready within " + READY_TIMEOUT.toSeconds()
                    + " s");
        } catch (ExecutionException e) {
            throw new PlatformException("the Connect worker is not healthy: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for the Connect worker");
        }
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}

package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.topics.ScramLogins;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka dir of the data dir, formatted on first start and refused, never reformatted, when it holds another
 * cluster, because reformatting would lose its data. One node uses the Kafka dir itself as its log dir (its
 * {@code meta.properties} at the top); a cluster of N nodes keeps its cluster id in {@code cluster.id} and node
 * {@code i}'s log dir in {@code node-i}. A dir of one shape never starts as the other, nor as a cluster of
 * another size.
 */
final class KafkaLogDir {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLogDir.class);
    private static final String META = "meta.properties";
    private static final String CLUSTER_ID = "cluster.id";
    private static final Pattern NODE_DIR = Pattern.compile("node-(\\d+)");

    private KafkaLogDir() {
    }

    static Path nodeDir(Path kafkaDir, int nodeId) {
        return kafkaDir.resolve("node-" + nodeId);
    }

    /** Formats {@code kafkaDir} as the log dir of a single node if it is new; returns its cluster id. */
    static String formatSingleNode(Path kafkaDir, EmbeddedKafka.Security security) {
        if (!Files.exists(kafkaDir.resolve(META))) {
            int nodes = highestNodeDir(kafkaDir);
            if (nodes > 0 || Files.exists(kafkaDir.resolve(CLUSTER_ID))) {
                throw new PlatformException("data dir " + kafkaDir + " holds a Kafka cluster of " + nodes
                        + " nodes, not a single node; start it with --nodes " + nodes
                        + ", or choose another --data-dir");
            }
        }
        return formatIfNew(kafkaDir, EmbeddedKafka.NODE_ID, null, security);
    }

    /**
     * The cluster id of the cluster of {@code nodes} nodes in {@code kafkaDir}, written first when the dir is new.
     * With {@code everyNode}, a dir formatted for fewer nodes is refused too (a single node formats its own dir
     * only, and may be the first of its cluster to start).
     */
    static String clusterId(Path kafkaDir, int nodes, boolean everyNode) {
        if (Files.exists(kafkaDir.resolve(META))) {
            throw new PlatformException("data dir " + kafkaDir + " holds a single Kafka node, not a cluster of "
                    + nodes + "; start it with --nodes 1, or choose another --data-dir");
        }
        int formatted = highestNodeDir(kafkaDir);
        if (formatted > nodes || everyNode && formatted > 0 && formatted < nodes) {
            throw new PlatformException("data dir " + kafkaDir + " holds a Kafka cluster of " + formatted
                    + " nodes, not " + nodes + "; start it with --nodes " + formatted
                    + ", or choose another --data-dir");
        }
        Path file = kafkaDir.resolve(CLUSTER_ID);
        try {
            if (!Files.exists(file)) {
                requireOnlyClusterFiles(kafkaDir);
                Files.createDirectories(kafkaDir);
                Path candidate = Files.createTempFile(kafkaDir, CLUSTER_ID, ".new");
                Files.writeString(candidate, Uuid.randomUuid().toString());
                try {
                    // A link is made atomically or not at all: nodes started at once in their own JVMs agree on
                    // the first id written.
                    Files.createLink(file, candidate);
                } catch (FileAlreadyExistsException e) {
                    LOG.debug("Another node wrote {} first", file);
                } finally {
                    Files.delete(candidate);
                }
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new PlatformException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the cluster id of {@code logDir}, formatting it for node {@code nodeId} first if it has none: with
     * {@code clusterId}, or a new id when that is null. A dir of another node or cluster is refused.
     */
    static String formatIfNew(Path logDir, int nodeId, String clusterId, EmbeddedKafka.Security security) {
        Path meta = logDir.resolve(META);
        if (Files.exists(meta)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(meta)) {
                properties.load(in);
            } catch (IOException e) {
                throw new PlatformException("cannot read " + meta + ": " + e.getMessage(), e);
            }
            String formattedNode = properties.getProperty("node.id");
            String formattedCluster = properties.getProperty("cluster.id");
            if (!Integer.toString(nodeId).equals(formattedNode) || formattedCluster == null
                    || clusterId != null && !clusterId.equals(formattedCluster)) {
                throw new PlatformException("data dir " + logDir + " belongs to another Kafka cluster (cluster.id="
                        + formattedCluster + ", node.id=" + formattedNode + "); choose another --data-dir");
            }
            return formattedCluster;
        }
        requireEmptyOrAbsent(logDir);
        String id = clusterId == null ? Uuid.randomUuid().toString() : clusterId;
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                    .setClusterId(id)
                    .setNodeId(nodeId)
                    .setControllerListenerName(KafkaNode.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setScramArguments(security == null ? List.of() : List.of(ScramLogins.MECHANISM + "=[name="
                            + security.adminUser() + ",password=" + security.adminPassword() + "]"))
                    .run();
        } catch (Exception e) {
            throw new PlatformException("cannot format Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted Kafka log dir {} for node {} of cluster {}", logDir, nodeId, id);
        return id;
    }

    /** The highest {@code n} of the {@code node-n} dirs in {@code kafkaDir}; 0 for none. */
    private static int highestNodeDir(Path kafkaDir) {
        if (!Files.isDirectory(kafkaDir)) {
            return 0;
        }
        try (var entries = Files.list(kafkaDir)) {
            return entries.map(entry -> NODE_DIR.matcher(entry.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(matcher -> Integer.parseInt(matcher.group(1)))
                    .max().orElse(0);
        } catch (IOException e) {
            throw new PlatformException("cannot read data dir " + kafkaDir + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a dir holding anything but node dirs and cluster ids, which another node may be writing now. */
    private static void requireOnlyClusterFiles(Path kafkaDir) {
        if (!Files.exists(kafkaDir)) {
            return;
        }
        try (var entries = Files.list(kafkaDir)) {
            if (entries.map(entry -> entry.getFileName().toString())
                    .anyMatch(name -> !NODE_DIR.matcher(name).matches() && !name.startsWith(CLUSTER_ID))) {
                throw new PlatformException("data dir " + kafkaDir + " is not empty and holds no Kafka cluster "
                        + "(no " + CLUSTER_ID + "); choose another --data-dir");
            }
        } catch (IOException e) {
            throw new PlatformException("cannot read data dir " + kafkaDir + ": " + e.getMessage(), e);
        }
    }

    private static void requireEmptyOrAbsent(Path logDir) {
        if (!Files.exists(logDir)) {
            return;
        }
        try (var entries = Files.list(logDir)) {
            if (entries.findAny().isPresent()) {
                throw new PlatformException("data dir " + logDir + " is not empty and holds no Kafka cluster "
                        + "(no meta.properties); choose another --data-dir");
            }
        } catch (IOException e) {
            throw new PlatformException("cannot read data dir " + logDir + ": " + e.getMessage(), e);
        }
    }
}

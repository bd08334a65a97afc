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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The Kafka dir of the data dir, formatted on first start and refused, never reformatted, when it holds another
 * cluster, because reformatting would lose its data. One node uses the Kafka dir itself as its log dir (its
 * {@code meta.properties} at the top); a cluster of N nodes keeps its cluster id in {@code cluster.id} and node
 * {@code i}'s log dir in {@code node-i}, and a node dir it lost is never formatted again. A dir of one shape never
 * starts as the other, nor as a cluster of another size.
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
            if (nodes > 0) {
                throw new PlatformException("data dir " + kafkaDir + " holds a Kafka cluster of " + nodes
                        + " nodes, not a single node; start it with --nodes " + nodes
                        + ", or choose another --data-dir");
            }
            if (Files.exists(kafkaDir.resolve(CLUSTER_ID))) {
                throw new PlatformException("data dir " + kafkaDir + " holds the " + CLUSTER_ID + " of a Kafka "
                        + "cluster whose node dirs are all missing, not a single node; restore them, or choose "
                        + "another --data-dir");
            }
        }
        return formatIfNew(kafkaDir, EmbeddedKafka.NODE_ID, null, security);
    }

    /**
     * Formats the node dirs of a cluster of {@code nodes} nodes in {@code kafkaDir} if it is new, and returns its
     * cluster id. {@code cluster.id} is written once every node dir is formatted, before any node starts: from then
     * on every node dir must be there, holding that cluster and its node id. A missing one (a lost disk) is refused,
     * never formatted again: a voter that forgot its vote could vote twice, and the KRaft quorum elect two leaders.
     */
    static String formatCluster(Path kafkaDir, int nodes, EmbeddedKafka.Security security) {
        int formatted = requireNoOtherShape(kafkaDir, nodes);
        Path file = kafkaDir.resolve(CLUSTER_ID);
        if (Files.exists(file)) {
            String clusterId = readClusterId(file);
            requireEveryNodeDir(kafkaDir, nodes, clusterId, formatted);
            for (int id = 1; id <= nodes; id++) {
                formatIfNew(nodeDir(kafkaDir, id), id, clusterId, security);
            }
            return clusterId;
        }
        requireOnlyClusterFiles(kafkaDir);
        // Node dirs without cluster.id were formatted by a start that stopped before any node ran: finish it.
        String clusterId = clusterIdOfNodeDirs(kafkaDir).orElseGet(() -> Uuid.randomUuid().toString());
        for (int id = 1; id <= nodes; id++) {
            formatIfNew(nodeDir(kafkaDir, id), id, clusterId, security);
        }
        return writeClusterId(file, clusterId);
    }

    /**
     * The cluster id of the cluster of {@code nodes} nodes in {@code kafkaDir}, for one node that formats its own
     * dir and may be the first of its cluster to start: read from {@code cluster.id}, else from the node dirs
     * already formatted, else a new one, written first.
     */
    static String clusterId(Path kafkaDir, int nodes) {
        requireNoOtherShape(kafkaDir, nodes);
        Path file = kafkaDir.resolve(CLUSTER_ID);
        if (!Files.exists(file)) {
            requireOnlyClusterFiles(kafkaDir);
            writeClusterId(file, clusterIdOfNodeDirs(kafkaDir).orElseGet(() -> Uuid.randomUuid().toString()));
        }
        return readClusterId(file);
    }

    /** Refuses a single node's dir and a larger cluster's; returns the highest node dir's id. */
    private static int requireNoOtherShape(Path kafkaDir, int nodes) {
        if (Files.exists(kafkaDir.resolve(META))) {
            throw new PlatformException("data dir " + kafkaDir + " holds a single Kafka node, not a cluster of "
                    + nodes + "; start it with --nodes 1, or choose another --data-dir");
        }
        int formatted = highestNodeDir(kafkaDir);
        if (formatted > nodes) {
            throw new PlatformException("data dir " + kafkaDir + " holds a Kafka cluster of " + formatted
                    + " nodes, not " + nodes + "; start it with --nodes " + formatted
                    + ", or choose another --data-dir");
        }
        return formatted;
    }

    /** Refuses a node dir of 1..{@code nodes} that holds no {@code meta.properties}; {@code formatted} the highest. */
    private static void requireEveryNodeDir(Path kafkaDir, int nodes, String clusterId, int formatted) {
        List<String> missing = IntStream.rangeClosed(1, nodes)
                .filter(id -> !Files.exists(nodeDir(kafkaDir, id).resolve(META)))
                .mapToObj(id -> "node-" + id).toList();
        if (missing.isEmpty()) {
            return;
        }
        boolean onlyTheLast = formatted > 0 && missing.size() == nodes - formatted;
        throw new PlatformException("data dir " + kafkaDir + " holds Kafka cluster " + clusterId + " without "
                + String.join(", ", missing) + ": a node of an existing cluster is never formatted again, since one "
                + "that forgot its KRaft vote could vote twice; "
                + (onlyTheLast ? "start it with --nodes " + formatted + " if it was made with " + formatted + ", " : "")
                + "restore the missing node dirs, or choose another --data-dir");
    }

    private static String readClusterId(Path file) {
        String clusterId;
        try {
            clusterId = Files.readString(file).strip();
        } catch (IOException e) {
            throw new PlatformException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(file + " holds no Kafka cluster id (" + e.getMessage() + "); restore it "
                    + "from a node's meta.properties, or choose another --data-dir", e);
        }
        return clusterId;
    }

    /** Writes {@code clusterId} to {@code file} unless another node wrote one first; returns the one written. */
    private static String writeClusterId(Path file, String clusterId) {
        try {
            Files.createDirectories(file.getParent());
            Path candidate = Files.createTempFile(file.getParent(), CLUSTER_ID, ".new");
            Files.writeString(candidate, clusterId);
            try {
                // A link is made atomically or not at all: nodes started at once in their own JVMs agree on
                // the first id written.
                Files.createLink(file, candidate);
            } catch (FileAlreadyExistsException e) {
                LOG.debug("Another node wrote {} first", file);
            } finally {
                Files.delete(candidate);
            }
        } catch (IOException e) {
            throw new PlatformException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return readClusterId(file);
    }

    /** The cluster id in the node dirs' {@code meta.properties}, when any holds one; they must all agree. */
    private static Optional<String> clusterIdOfNodeDirs(Path kafkaDir) {
        Set<String> ids = new TreeSet<>();
        for (int id = 1; id <= highestNodeDir(kafkaDir); id++) {
            Path meta = nodeDir(kafkaDir, id).resolve(META);
            if (Files.exists(meta)) {
                String clusterId = readMeta(meta).getProperty("cluster.id");
                if (clusterId != null) {
                    ids.add(clusterId);
                }
            }
        }
        if (ids.size() > 1) {
            throw new PlatformException("data dir " + kafkaDir + " holds node dirs of several Kafka clusters "
                    + ids + "; choose another --data-dir");
        }
        return ids.stream().findFirst();
    }

    private static Properties readMeta(Path meta) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (IOException e) {
            throw new PlatformException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /**
     * Returns the cluster id of {@code logDir}, formatting it for node {@code nodeId} first if it has none: with
     * {@code clusterId}, or a new id when that is null. A dir of another node or cluster is refused.
     */
    static String formatIfNew(Path logDir, int nodeId, String clusterId, EmbeddedKafka.Security security) {
        Path meta = logDir.resolve(META);
        if (Files.exists(meta)) {
            Properties properties = readMeta(meta);
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

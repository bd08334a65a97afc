package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one node of a plaintext {@link KafkaClusterLayout} in its own JVM until the JVM is stopped, so that a test
 * can kill a node outright (SIGKILL) and start it again on the same dir. Arguments:
 * {@code <kafkaDir> <nodeId> <clientPorts comma-separated> <controllerPorts comma-separated>}. On its first start
 * the node formats {@code <kafkaDir>/node-<nodeId>} with the cluster id of {@code <kafkaDir>/cluster.id}, written by
 * whichever node of the cluster starts first. It prints {@code kafka node <nodeId> up} on stdout once it serves.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: KafkaNodeMain <kafkaDir> <nodeId> <clientPorts comma-separated> "
                    + "<controllerPorts comma-separated>");
            System.exit(2);
        }
        Path kafkaDir = Path.of(args[0]).toAbsolutePath().normalize();
        int nodeId = Integer.parseInt(args[1]);
        KafkaClusterLayout layout = new KafkaClusterLayout(ports(args[2]), ports(args[3]));
        KafkaNode node;
        try {
            node = start(kafkaDir, nodeId, layout);
        } catch (PlatformException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "kafka-node-stop"));
        System.out.println("kafka node " + nodeId + " up");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    static KafkaNode start(Path kafkaDir, int nodeId, KafkaClusterLayout layout) {
        String clusterId = KafkaLogDir.clusterId(kafkaDir, layout.nodes());
        Path nodeDir = KafkaLogDir.nodeDir(kafkaDir, nodeId);
        KafkaLogDir.formatIfNew(nodeDir, nodeId, clusterId, null);
        KafkaNode node = new KafkaNode(nodeId, nodeDir, layout, null);
        node.start();
        return node;
    }

    private static List<Integer> ports(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }
}

package io.idstream.platform.kafka;

import io.idstream.platform.PlatformException;
import io.idstream.platform.Ports;
import io.idstream.topics.Replication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the nodes of an embedded KRaft cluster listen: node ids are 1..N, node {@code i} serves clients on
 * 127.0.0.1:{@code clientPorts[i-1]} and its controller on 127.0.0.1:{@code controllerPorts[i-1]}. Every node is a
 * combined broker and controller, and the controllers form a static quorum of all of them, so a cluster of three
 * keeps serving with any one node down. Its replication settings follow from its size: three replicas of every
 * topic (fewer on a smaller cluster) and, with three, two of them in sync before a write is acknowledged.
 */
public record KafkaClusterLayout(List<Integer> clientPorts, List<Integer> controllerPorts) {
    /** Most replicas a topic gets, however many nodes run. */
    private static final int MAX_REPLICATION_FACTOR = 3;

    public KafkaClusterLayout {
        clientPorts = List.copyOf(clientPorts);
        controllerPorts = List.copyOf(controllerPorts);
        if (clientPorts.isEmpty() || clientPorts.size() != controllerPorts.size()) {
            throw new IllegalArgumentException("a cluster needs one client port and one controller port per node, got "
                    + clientPorts + " and " + controllerPorts);
        }
        if (union(clientPorts, controllerPorts).size() != 2 * clientPorts.size()) {
            throw new IllegalArgumentException("a cluster's ports must all differ, got client ports " + clientPorts
                    + " and controller ports " + controllerPorts);
        }
    }

    /**
     * A layout of {@code nodes} nodes with client ports {@code firstClientPort}, {@code firstClientPort + 1}, ...
     * ({@code firstClientPort} 0: free ports) and controller ports that are free now.
     */
    public static KafkaClusterLayout consecutive(int nodes, int firstClientPort) {
        return consecutive(nodes, firstClientPort, 0);
    }

    /**
     * As {@link #consecutive(int, int)}, with controller ports {@code firstControllerPort},
     * {@code firstControllerPort + 1}, ... ({@code firstControllerPort} 0: free ports). Free ports are all chosen
     * at once, so no two of them, nor a free one and a given one, are the same.
     */
    public static KafkaClusterLayout consecutive(int nodes, int firstClientPort, int firstControllerPort) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster has at least one node, not " + nodes);
        }
        List<Integer> clientPorts = consecutivePorts(nodes, firstClientPort, "client");
        List<Integer> controllerPorts = consecutivePorts(nodes, firstControllerPort, "controller");
        List<Integer> free = Ports.freePorts(Collections.frequency(clientPorts, 0)
                + Collections.frequency(controllerPorts, 0), union(clientPorts, controllerPorts));
        Iterator<Integer> nextFree = free.iterator();
        clientPorts.replaceAll(port -> port == 0 ? nextFree.next() : port);
        controllerPorts.replaceAll(port -> port == 0 ? nextFree.next() : port);
        return new KafkaClusterLayout(clientPorts, controllerPorts);
    }

    /** {@code first}, {@code first + 1}, ... for {@code nodes} nodes; {@code first} 0: a 0 each, to be chosen. */
    private static List<Integer> consecutivePorts(int nodes, int first, String listener) {
        if (first < 0 || first + nodes - 1 > 65535) {
            throw new PlatformException(listener + " ports " + first + ".." + (first + nodes - 1)
                    + " are not all valid ports");
        }
        return IntStream.range(0, nodes).mapToObj(i -> first == 0 ? 0 : first + i)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static Set<Integer> union(List<Integer> ports, List<Integer> morePorts) {
        Set<Integer> union = new HashSet<>(ports);
        union.addAll(morePorts);
        return union;
    }

    public int nodes() {
        return clientPorts.size();
    }

    /** Every node's client address, comma separated, as a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return clientPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** Node {@code nodeId}'s client address. */
    public String clientAddress(int nodeId) {
        return "127.0.0.1:" + clientPort(nodeId);
    }

    public int clientPort(int nodeId) {
        return clientPorts.get(index(nodeId));
    }

    public int controllerPort(int nodeId) {
        return controllerPorts.get(index(nodeId));
    }

    /** The static voter set, {@code controller.quorum.voters}: every node's controller. */
    public String quorumVoters() {
        return IntStream.rangeClosed(1, nodes())
                .mapToObj(id -> id + "@127.0.0.1:" + controllerPort(id))
                .collect(Collectors.joining(","));
    }

    /** Replicas of every topic: one per node, at most three. */
    public short replicationFactor() {
        return (short) Math.min(nodes(), MAX_REPLICATION_FACTOR);
    }

    /** Replicas in sync before an {@code acks=all} write succeeds, by idstream's rule ({@link Replication#of}). */
    public int minInsyncReplicas() {
        return Replication.of(replicationFactor()).minInsyncReplicas();
    }

    private int index(int nodeId) {
        if (nodeId < 1 || nodeId > nodes()) {
            throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + nodes());
        }
        return nodeId - 1;
    }
}

package io.idstream.cli;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformException;
import io.idstream.platform.growth.GrowthRefusedException;
import io.idstream.platform.kafka.EmbeddedKafkaCluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The commands {@code idstream platform} reads on its stdin while it runs, so that a user can try failover on one
 * machine: {@code stop <id>} stops a Kafka node gracefully, unless fewer than a majority of the nodes would run then,
 * and {@code start <id>} starts it again on its dir and ports; {@code grow <N>} grows the holder-keyed topics to N
 * partitions ({@link Platform#growPartitions}), the processors and the gateway stopped meanwhile.
 * Each line is answered with one line on stderr saying what was done; stdin at its end is simply no more commands.
 */
final class NodeControl {
    private static final Pattern COMMAND = Pattern.compile("(stop|start)\\s+(\\d{1,3})");
    private static final Pattern GROW = Pattern.compile("grow\\s+(\\d{1,5})");
    private static final String PREFIX = "idstream platform: ";

    private NodeControl() {
    }

    /** Reads commands from {@code in} on a daemon thread until it ends, applying each to {@code platform}. */
    static Thread follow(InputStream in, Platform platform, PrintWriter err) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank()) {
                        String answer = answer(line.strip(), platform);
                        synchronized (err) {
                            err.println(PREFIX + answer);
                            err.flush();
                        }
                    }
                }
            } catch (IOException e) {
                synchronized (err) {
                    err.println(PREFIX + "stopped reading commands: " + e.getMessage());
                    err.flush();
                }
            }
        }, "idstream-node-control");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Applies one command to the platform; returns what was done, or why nothing was. */
    static String answer(String command, Platform platform) {
        Matcher grow = GROW.matcher(command);
        if (grow.matches()) {
            return grow(platform, Integer.parseInt(grow.group(1)));
        }
        return apply(command, platform.kafkaCluster());
    }

    /** Grows the platform's holder-keyed topics; returns what was copied, or why nothing was. */
    static String grow(Platform platform, int partitions) {
        try {
            return platform.growPartitions(partitions).summary();
        } catch (GrowthRefusedException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return "growing to " + partitions + " partitions failed: " + IdstreamCommand.oneLine(e);
        }
    }

    /** Applies one command to the Kafka nodes; returns what was done, or why nothing was. */
    static String apply(String command, EmbeddedKafkaCluster cluster) {
        Matcher matcher = COMMAND.matcher(command);
        if (!matcher.matches()) {
            return "unknown command '" + command + "': type 'stop <id>', 'start <id>' or 'grow <partitions>'";
        }
        if (cluster == null) {
            return "one Kafka node runs (--nodes 1): there is no node to " + matcher.group(1)
                    + " while the platform runs";
        }
        int nodeId = Integer.parseInt(matcher.group(2));
        int nodes = cluster.layout().nodes();
        if (nodeId < 1 || nodeId > nodes) {
            return "no Kafka node " + nodeId + ": nodes are 1.." + nodes;
        }
        boolean stop = matcher.group(1).equals("stop");
        if (cluster.running(nodeId) != stop) {
            return "Kafka node " + nodeId + " is already " + (stop ? "stopped" : "running");
        }
        int running = (int) IntStream.rangeClosed(1, nodes).filter(cluster::running).count();
        int majority = nodes / 2 + 1;
        if (stop && running - 1 < majority) {
            // Without a majority the controllers elect no leader: nothing is served, and a node started again
            // waits for a quorum that may never form.
            return "Kafka node " + nodeId + " not stopped: " + (running - 1) + " of " + nodes + " nodes would run, "
                    + "fewer than the " + majority + " the KRaft quorum needs; start a stopped node first";
        }
        try {
            if (stop) {
                cluster.stopNode(nodeId);
                return "Kafka node " + nodeId + " stopped (" + cluster.layout().clientAddress(nodeId) + ")";
            }
            cluster.startNode(nodeId);
            return "Kafka node " + nodeId + " started (" + cluster.layout().clientAddress(nodeId) + ")";
        } catch (PlatformException e) {
            return "Kafka node " + nodeId + " did not " + matcher.group(1) + ": " + e.getMessage();
        }
    }
}

package io.idstream.cli;

import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.tls.PlatformTls;
import io.idstream.topics.Replication;
import io.idstream.topics.TopicDrift;

import java.io.PrintWriter;

/**
 * What {@code idstream platform} prints once it serves: on stdout the settings clients need, one {@code key=value}
 * a line so a script can read them, with how many Kafka nodes run and how the topics were replicated on them; on
 * stderr what a user should know, such as data that is not replicated.
 */
final class PlatformSettings {
    private PlatformSettings() {
    }

    static void print(Platform platform, PlatformConfig config, PrintWriter out) {
        out.println("bootstrap.servers=" + platform.bootstrapServers());
        KafkaClusterLayout kafka = platform.kafkaLayout();
        out.println("kafka.nodes=" + kafka.nodes());
        for (int id = 1; id <= kafka.nodes(); id++) {
            out.println("kafka.node." + id + "=" + kafka.clientAddress(id));
        }
        // What the topics were given, which an explicit idstream.topic.replication.factor may set below the layout's.
        // Below RF 3 a topic keeps the brokers' own min.insync.replicas, which the layout gave them.
        Replication replication = platform.provisioning().replication();
        out.println("replication.factor=" + replication.factor());
        out.println("min.insync.replicas=" + (replication.setsMinInsyncReplicas() ? replication.minInsyncReplicas()
                : kafka.minInsyncReplicas()));
        out.println("schema.registry.url=" + platform.schemaRegistryUrl());
        if (config.secure()) {
            out.println("command.config=" + AdminSecret.file(config.dataDir()));
            out.println("ssl.truststore.location=" + PlatformTls.caCertificateFile(config.dataDir()));
        }
        out.println("gateway.url=" + platform.gatewayUrl());
        if (platform.connectUrl() != null) {
            out.println("connect.url=" + platform.connectUrl());
        }
        if (platform.processors() != null && platform.processors().metricsPort() > 0) {
            out.println("metrics.url=http://127.0.0.1:" + platform.processors().metricsPort() + "/metrics");
        }
        out.flush();
    }

    static void warn(Platform platform, PrintWriter err) {
        for (TopicDrift drift : platform.provisioning().drift()) {
            err.println("idstream platform: warning: " + drift.describe());
        }
        if (platform.kafkaCluster() == null) {
            err.println("idstream platform: data is not replicated (one Kafka node): a lost disk loses it; "
                    + "--nodes 3 to try failover");
        } else {
            err.println("idstream platform: " + platform.kafkaLayout().nodes() + " Kafka nodes; type 'stop <id>' or "
                    + "'start <id>' to stop or start one");
        }
        err.flush();
    }
}

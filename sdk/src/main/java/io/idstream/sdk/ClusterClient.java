package io.idstream.sdk;

import java.util.List;
import java.util.Properties;

/**
 * What every client of the cluster holds, the operator's as much as a participant's: its gateway to the catalogue's
 * topics, and the verified directory read through that gateway. Closing the client closes the gateway.
 */
public abstract class ClusterClient implements AutoCloseable {
    protected final KafkaGateway gateway;
    protected final DirectoryClient directory;

    protected ClusterClient(Properties properties) {
        this.gateway = new KafkaGateway(properties);
        this.directory = new DirectoryClient(gateway);
    }

    /** A client that reaches the platform other than through Kafka (a holder on the gateway): no topic, no reader. */
    protected ClusterClient() {
        this.gateway = null;
        this.directory = null;
    }

    public DirectoryClient directory() {
        if (directory == null) {
            throw new IdstreamException("this client reaches the platform through the holder gateway, so it reads "
                    + "no directory topic");
        }
        return directory;
    }

    /**
     * The records this client has read past and reported, each once: ones that do not decode, and pending requests
     * that do not verify (docs/protocol.md sections 9 and 12).
     */
    public List<SkippedRecord> skippedRecords() {
        return gateway == null ? List.of() : gateway.skippedRecords();
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }
}

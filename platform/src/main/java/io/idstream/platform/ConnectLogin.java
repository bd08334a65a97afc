package io.idstream.platform;

import io.idstream.platform.connect.EmbeddedConnect;
import io.idstream.topics.AclPolicy;
import io.idstream.topics.TopicCatalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * The secure platform's Connect worker logs in to Kafka as a user of its own, {@value #CONNECT_USER}, not as the
 * operator's super user: its SCRAM password is made on the first secure start with Connect and kept, mode 600, in
 * {@code <data dir>/secrets/connect.properties} as Kafka client properties; at every such start its credential and
 * its ACLs ({@link AclPolicy#connectWorkerBindings}: its own topics and groups, read on delivery topics) are set
 * again, so a platform upgraded from one that ran Connect as the operator moves over by itself.
 */
public final class ConnectLogin {
    public static final String CONNECT_USER = "idstream-connect";
    private static final ServiceLogin LOGIN = new ServiceLogin(CONNECT_USER, "connect", "the Connect worker");

    private ConnectLogin() {
    }

    public static Path file(Path dataDir) {
        return LOGIN.file(dataDir);
    }

    /**
     * Makes or reads the worker's login, grants its ACLs and sets its credential with the operator's {@code admin}
     * client settings, and returns the client settings the worker connects with: the platform's, logged in as
     * {@value #CONNECT_USER}.
     */
    static Map<String, Object> setUp(Path dataDir, String bootstrapServers, Map<String, Object> operatorConfigs,
                                     TopicCatalog catalog) {
        return LOGIN.setUp(dataDir, bootstrapServers, operatorConfigs, new AclPolicy(catalog)
                .connectWorkerBindings(CONNECT_USER, EmbeddedConnect.GROUP_ID, EmbeddedConnect.TOPIC_PREFIX));
    }

    /** The worker's password from {@link #file}, made there if there is none yet ({@link ServiceLogin}). */
    static String loadOrCreatePassword(Path dataDir) {
        return LOGIN.loadOrCreatePassword(dataDir);
    }
}

package io.idstream.connectors.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** The plugin's version, as Connect's REST API lists it; read from a resource so that it survives shading. */
    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package io.idstream.sdk;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/** The operator keys a client pins ({@value ConsumerClient#OPERATOR_KEYS_CONFIG}), read from its settings. */
final class OperatorKeys {
    private OperatorKeys() {
    }

    /**
     * The operator keys {@code idstream.operator.keys} pins: comma-separated, each 64 hex digits, as the processors
     * take them; none when the setting is absent.
     */
    static List<byte[]> pinned(Properties properties) {
        Object value = properties.get(ConsumerClient.OPERATOR_KEYS_CONFIG);
        List<byte[]> keys = new ArrayList<>();
        if (value == null) {
            return keys;
        }
        for (String hex : String.valueOf(value).split(",")) {
            if (hex.isBlank()) {
                continue;
            }
            byte[] key;
            try {
                key = HexFormat.of().parseHex(hex.strip());
            } catch (IllegalArgumentException e) {
                throw new IdstreamException(ConsumerClient.OPERATOR_KEYS_CONFIG + ": '" + hex.strip()
                        + "' is not hex");
            }
            if (key.length != 32) {
                throw new IdstreamException(ConsumerClient.OPERATOR_KEYS_CONFIG + ": an Ed25519 public key is 32 "
                        + "bytes (64 hex digits), not " + key.length);
            }
            keys.add(key);
        }
        return keys;
    }
}

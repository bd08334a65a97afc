package io.idstream.crypto;

import java.util.regex.Pattern;

/**
 * The identifier shapes of docs/protocol.md section 1; a value of another shape is refused before anything is signed.
 */
public final class Identifiers {
    public static final Pattern PRINCIPAL_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    public static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    public static final Pattern FIELD_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private Identifiers() {
    }

    public static String requirePrincipalId(String what, String id) {
        return require(what, id, PRINCIPAL_ID);
    }

    public static String requireUuid(String what, String id) {
        return require(what, id, UUID);
    }

    public static String requireFieldName(String name) {
        return require("field name", name, FIELD_NAME);
    }

    private static String require(String what, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new CryptoException(what + " '" + (value == null ? "" : abbreviate(value)) + "' does not match "
                    + pattern.pattern());
        }
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}

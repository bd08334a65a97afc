package io.idstream.crypto;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The identifier shapes of docs/protocol.md section 1; a value of another shape is refused before anything is signed.
 */
public final class Identifiers {
    public static final Pattern PRINCIPAL_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    public static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    public static final Pattern FIELD_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    /** How many credential types a write grant or consent request may name (section 6a). */
    public static final int MAX_CREDENTIAL_TYPES = 16;
    /** The longest credential type in a write grant or consent request, in UTF-8 bytes (section 6a). */
    public static final int MAX_CREDENTIAL_TYPE_BYTES = 128;

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

    /** A UUID, or empty where the protocol lets a reference be absent (a write grant no consent request asked for). */
    public static String requireUuidOrEmpty(String what, String id) {
        return id != null && id.isEmpty() ? id : requireUuid(what, id);
    }

    /**
     * A list of credential types as section 6a requires it: 1 to 16 types, each a non-empty UTF-8 string of at most
     * 128 bytes, strictly ascending in unsigned byte order (so without repeats).
     */
    public static List<String> requireCredentialTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw new CryptoException("a list of credential types names at least one type");
        }
        if (types.size() > MAX_CREDENTIAL_TYPES) {
            throw new CryptoException("a list of credential types names at most " + MAX_CREDENTIAL_TYPES
                    + " types, not " + types.size());
        }
        for (String type : types) {
            int length = type == null ? 0 : Encoding.utf8(type).length;
            if (length == 0 || length > MAX_CREDENTIAL_TYPE_BYTES) {
                throw new CryptoException("credential type '" + (type == null ? "" : abbreviate(type)) + "' is "
                        + length + " bytes: a type is 1 to " + MAX_CREDENTIAL_TYPE_BYTES + " bytes of UTF-8");
            }
        }
        if (!Encoding.isStrictlySorted(types)) {
            throw new CryptoException("credential types are not in ascending order or repeat a type");
        }
        return types;
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

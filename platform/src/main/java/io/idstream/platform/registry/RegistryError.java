package io.idstream.platform.registry;

/**
 * A request the registry refuses, carried to the client as Confluent's JSON error body
 * {@code {"error_code": ..., "message": ...}} with the matching HTTP status. Each {@link Code} holds Confluent's
 * error code and the message its registry gives, so a refusal is made from the code and the message's details.
 */
final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Confluent's error codes: the HTTP status followed by two digits, or the bare status for the older ones. */
    enum Code {
        BAD_REQUEST(400, "%s"),
        /** What Confluent's registry answers a request without a valid login when basic authentication is on. */
        UNAUTHORIZED(401, "Unauthorized"),
        /** Confluent's code for an authenticated principal refused an operation. */
        FORBIDDEN(40301, "User %s is not allowed to change the registry; only %s is"),
        SUBJECT_NOT_FOUND(40401, "Subject '%s' not found."),
        VERSION_NOT_FOUND(40402, "Version %s not found."),
        SCHEMA_NOT_FOUND(40403, "%s"),
        SUBJECT_SOFT_DELETED(40404, "Subject '%s' was soft deleted. Set permanent=true to delete permanently"),
        SUBJECT_NOT_SOFT_DELETED(40405, "Subject '%s' was not deleted first before being permanently deleted"),
        VERSION_SOFT_DELETED(40406,
                "Subject '%s' Version %s was soft deleted. Set permanent=true to delete permanently"),
        VERSION_NOT_SOFT_DELETED(40407,
                "Subject '%s' Version %s was not deleted first before being permanently deleted"),
        SUBJECT_COMPATIBILITY_NOT_CONFIGURED(40408,
                "Subject '%s' does not have subject-level compatibility configured"),
        PAYLOAD_TOO_LARGE(413, "Request body is larger than the limit of %d bytes"),
        /** Confluent Platform 7 answers 409 here; version 8 moved to 40901. Our clients and tests follow 7. */
        INCOMPATIBLE_SCHEMA(409,
                "Schema being registered is incompatible with an earlier schema for subject \"%s\", details: %s"),
        INVALID_SCHEMA(42201, "Invalid schema: %s"),
        INVALID_VERSION(42202, "The specified version '%s' is not a valid version id. Allowed values are between "
                + "[1, 2^31-1] and the string \"latest\""),
        INVALID_COMPATIBILITY_LEVEL(42203, "Invalid compatibility level. Valid values are none, backward, forward, "
                + "full, backward_transitive, forward_transitive, and full_transitive"),
        STORE_ERROR(50001, "%s");

        private final int errorCode;
        private final String messageFormat;

        Code(int errorCode, String messageFormat) {
            this.errorCode = errorCode;
            this.messageFormat = messageFormat;
        }

        int httpStatus() {
            return errorCode < 1000 ? errorCode : errorCode / 100;
        }
    }

    private final Code code;

    /** A refusal whose message is the code's message with {@code details} in its placeholders, in order. */
    RegistryError(Code code, Object... details) {
        super(String.format(code.messageFormat, details));
        this.code = code;
    }

    int httpStatus() {
        return code.httpStatus();
    }

    int errorCode() {
        return code.errorCode;
    }
}

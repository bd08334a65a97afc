package io.idstream.platform.registry;

import static io.idstream.platform.registry.RegistryError.Code.FORBIDDEN;

/**
 * Who sent a request, as far as the registry cares: on an open registry anyone, who may do everything; on a secure
 * one the user the request logged in as, who may read, and may change the registry only as the operator.
 *
 * @param user         the logged-in user, or null on an open registry
 * @param mayChange    whether this caller may register new schemas, delete and set compatibility
 * @param operatorUser the user that may change a secure registry, named in refusals
 */
record Caller(String user, boolean mayChange, String operatorUser) {
    static final Caller ANYONE = new Caller(null, true, null);

    /** Refuses, with Confluent's 40301, a change by a caller that may only read. */
    void requireMayChange() {
        if (!mayChange) {
            throw new RegistryError(FORBIDDEN, user, operatorUser);
        }
    }
}

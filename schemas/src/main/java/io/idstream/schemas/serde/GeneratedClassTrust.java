package io.idstream.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro refuses to instantiate classes it has not been told to trust, so that a writer schema arriving from the wire
 * cannot name an arbitrary class. idstream's generated records are plain data classes: they, and only they, are added
 * to whatever the application already trusts.
 */
public final class GeneratedClassTrust {
    static final String GENERATED_PACKAGE = "io.idstream.avro";

    private static boolean installed;

    private GeneratedClassTrust() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate generated =
                type -> type.getPackageName().equals(GENERATED_PACKAGE);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                generated));
        installed = true;
    }
}

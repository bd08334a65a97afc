package io.idstream.processors;

/** Names of the state stores shared between the processors of one topology. */
public final class StoreNames {
    /** The verified directory, a global store every task reads. */
    public static final String DIRECTORY = "directory";

    private StoreNames() {
    }
}

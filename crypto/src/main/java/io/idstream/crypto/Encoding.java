package io.idstream.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The encoding primitives of docs/protocol.md section 1: {@code lp(x)}, {@code u32(n)}, {@code u64(n)} and the sort
 * order of field names. Every to-be-signed string and every AAD is built with this writer and nothing else.
 */
public final class Encoding {
    /** Ascending unsigned byte order of the UTF-8 names; equal to code point order for valid UTF-8. */
    public static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private Encoding() {
    }

    /** A writer whose first element is {@code lp(tag)}, as every TBS starts. */
    public static Encoding tagged(String tag) {
        return new Encoding().lp(tag);
    }

    public static Encoding untagged() {
        return new Encoding();
    }

    public Encoding lp(String value) {
        return lp(utf8(value));
    }

    public Encoding lp(byte[] value) {
        u32(value.length);
        out.writeBytes(value);
        return this;
    }

    public Encoding u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new CryptoException("value " + value + " does not fit u32");
        }
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
        return this;
    }

    public Encoding u64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    public Encoding raw(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The names in protocol order; fails on a duplicate, which no protocol list may hold. */
    public static List<String> sorted(Collection<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(NAME_ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new CryptoException("field name '" + sorted.get(i) + "' appears twice");
            }
        }
        return sorted;
    }

    /** Whether the names are already in strictly ascending protocol order (so also free of duplicates). */
    public static boolean isStrictlySorted(List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            if (NAME_ORDER.compare(names.get(i - 1), names.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}

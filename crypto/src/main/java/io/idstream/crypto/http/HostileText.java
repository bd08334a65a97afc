package io.idstream.crypto.http;

/**
 * A short, printable excerpt of text someone hostile may have chosen (a request's headers or body, a record's key),
 * for a log line or an error's message: it never repeats more than {@value #MAX_CHARS} characters of it, and never a
 * control character, so that it can neither forge log lines nor flood them.
 */
public final class HostileText {
    public static final int MAX_CHARS = 64;

    private HostileText() {
    }

    /** The first {@value #MAX_CHARS} characters, each outside printable ASCII (and {@code \}) as {@code \\uXXXX}. */
    public static String excerpt(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), MAX_CHARS); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > MAX_CHARS ? out + "..." : out.toString();
    }
}

package io.idstream.gateway;

/**
 * A short, printable excerpt of text that came from a record or a request, for logs and error messages: anyone who
 * may write a topic or send a request chooses it, so it is cut to {@value #MAX_CHARS} characters and every character
 * outside printable ASCII (and {@code \}) is escaped, so that it can neither forge log lines nor flood them. The same
 * rule as the signature checks' refusals follow (io.idstream.crypto.http).
 */
public final class PrintableText {
    public static final int MAX_CHARS = 64;

    private PrintableText() {
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

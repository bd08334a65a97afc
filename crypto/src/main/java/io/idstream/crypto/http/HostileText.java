package io.idstream.crypto.http;

/**
 * A short, printable excerpt of request text for a refusal's message: a refusal reaches logs and the client, so it
 * never repeats more than {@value #MAX_CHARS} characters of what a client sent, and never a control character.
 */
final class HostileText {
    static final int MAX_CHARS = 64;

    private HostileText() {
    }

    /** The first {@value #MAX_CHARS} characters, each outside printable ASCII (and {@code \}) as {@code \\uXXXX}. */
    static String excerpt(String text) {
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

package io.idstream.crypto.http;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * RFC 8941 Structured Field Values: the values of the dictionaries of {@code Signature-Input}, {@code Signature} and
 * {@code Content-Digest} ({@link StructuredFieldParser} reads them), and their canonical serialization, which
 * RFC 9421 section 2.3 takes for the {@code @signature-params} line.
 */
final class StructuredFields {
    /** A dictionary member, list item or parameter value that is a token, not a string. */
    record Token(String value) {
    }

    /** A byte sequence ({@code :base64:}). */
    record ByteSequence(byte[] bytes) {
    }

    /** An item or inner list of a dictionary; bare values are Long, BigDecimal, String, Token, ByteSequence, Boolean. */
    sealed interface Member permits Item, InnerList {
        Map<String, Object> params();
    }

    record Item(Object value, Map<String, Object> params) implements Member {
    }

    record InnerList(List<Item> items, Map<String, Object> params) implements Member {
    }

    /** A dictionary's member and its text as sent: all after {@code key=}, or its parameters for a bare key. */
    record DictionaryMember(Member member, String text) {
    }

    /** The input is not a structured field of the expected type; its message says where. */
    static final class MalformedField extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedField(String message) {
            super(message);
        }
    }

    private StructuredFields() {
    }

    /** RFC 8941 section 4.1.1.1: an inner list with its parameters, as {@code @signature-params} takes it. */
    static String serialize(InnerList list) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < list.items().size(); i++) {
            Item item = list.items().get(i);
            out.append(i == 0 ? "" : " ").append(serializeBare(item.value()));
            appendParams(out, item.params());
        }
        out.append(')');
        appendParams(out, list.params());
        return out.toString();
    }

    static String serialize(Item item) {
        StringBuilder out = new StringBuilder(serializeBare(item.value()));
        appendParams(out, item.params());
        return out.toString();
    }

    private static void appendParams(StringBuilder out, Map<String, Object> params) {
        params.forEach((key, value) -> {
            out.append(';').append(key);
            if (!Boolean.TRUE.equals(value)) {
                out.append('=').append(serializeBare(value));
            }
        });
    }

    static String serializeBare(Object value) {
        if (value instanceof Long number) {
            return Long.toString(number);
        }
        if (value instanceof BigDecimal decimal) {
            String plain = decimal.stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        if (value instanceof String text) {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (value instanceof Token token) {
            return token.value();
        }
        if (value instanceof ByteSequence bytes) {
            return ':' + Base64.getEncoder().encodeToString(bytes.bytes()) + ':';
        }
        if (value instanceof Boolean bool) {
            return bool ? "?1" : "?0";
        }
        throw new IllegalArgumentException("not a structured field value: " + value.getClass().getSimpleName());
    }
}

package io.idstream.crypto.http;

import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.DictionaryMember;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import io.idstream.crypto.http.StructuredFields.MalformedField;
import io.idstream.crypto.http.StructuredFields.Member;
import io.idstream.crypto.http.StructuredFields.Token;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsing algorithms of RFC 8941 section 4.2 for a dictionary, strict: any deviation from the grammar, a repeated
 * key and a byte sequence in other than canonical base64 are a {@link MalformedField} naming where, never another
 * exception, whatever the input.
 */
final class StructuredFieldParser {
    private final String input;
    private int pos;

    private StructuredFieldParser(String input) {
        this.input = input;
    }

    /**
     * RFC 8941 section 4.2 with section 4.2.2: a dictionary. Stricter than the RFC, which lets a later duplicate key
     * replace an earlier one: a key repeated, in the dictionary or in one parameter list, is malformed, since readers
     * that keep the first and readers that keep the last would see different values (docs/protocol.md section 16).
     */
    static Map<String, Member> parseDictionary(String field) throws MalformedField {
        Map<String, Member> members = new LinkedHashMap<>();
        parseDictionaryAsSent(field).forEach((key, member) -> members.put(key, member.member()));
        return members;
    }

    /** {@link #parseDictionary}, with each member's text as sent (all after {@code key=}), to check its form. */
    static Map<String, DictionaryMember> parseDictionaryAsSent(String field) throws MalformedField {
        if (field == null) {
            throw new MalformedField("no field");
        }
        StructuredFieldParser parser = new StructuredFieldParser(field);
        parser.skipSpaces();
        Map<String, DictionaryMember> dictionary = new LinkedHashMap<>();
        while (!parser.atEnd()) {
            int keyStart = parser.pos;
            String key = parser.key();
            Member member;
            int valueStart = parser.pos;
            if (parser.peek() == '=') {
                parser.pos++;
                valueStart = parser.pos;
                member = parser.itemOrInnerList();
            } else {
                member = new Item(Boolean.TRUE, parser.parameters());
            }
            if (dictionary.put(key, new DictionaryMember(member, field.substring(valueStart, parser.pos))) != null) {
                throw new MalformedField("a dictionary repeats a key at " + keyStart);
            }
            parser.skipOws();
            if (parser.atEnd()) {
                return dictionary;
            }
            parser.expect(',');
            parser.skipOws();
            if (parser.atEnd()) {
                throw new MalformedField("a dictionary ends with ','");
            }
        }
        return dictionary;
    }

    private Member itemOrInnerList() throws MalformedField {
        if (peek() == '(') {
            return innerList();
        }
        Object value = bareItem();
        return new Item(value, parameters());
    }

    private InnerList innerList() throws MalformedField {
        expect('(');
        List<Item> items = new ArrayList<>();
        while (!atEnd()) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return new InnerList(Collections.unmodifiableList(items), parameters());
            }
            items.add(new Item(bareItem(), parameters()));
            if (peek() != ' ' && peek() != ')') {
                throw new MalformedField("an inner list's items must be separated by spaces at " + pos);
            }
        }
        throw new MalformedField("an inner list is not closed");
    }

    private Map<String, Object> parameters() throws MalformedField {
        Map<String, Object> params = new LinkedHashMap<>();
        while (peek() == ';') {
            pos++;
            skipSpaces();
            int keyStart = pos;
            String key = key();
            Object value = Boolean.TRUE;
            if (peek() == '=') {
                pos++;
                value = bareItem();
            }
            if (params.put(key, value) != null) {
                throw new MalformedField("parameters repeat a key at " + keyStart);
            }
        }
        return Collections.unmodifiableMap(params);
    }

    private String key() throws MalformedField {
        char first = peek();
        if (!(isLcAlpha(first) || first == '*')) {
            throw new MalformedField("a key must start with a lower-case letter or '*' at " + pos);
        }
        int start = pos;
        while (!atEnd() && isKeyChar(peek())) {
            pos++;
        }
        return input.substring(start, pos);
    }

    private Object bareItem() throws MalformedField {
        char c = peek();
        if (c == '-' || isDigit(c)) {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == ':') {
            return byteSequence();
        }
        if (c == '?') {
            return bool();
        }
        if (isAlpha(c) || c == '*') {
            return token();
        }
        throw new MalformedField("no item at " + pos);
    }

    private Object number() throws MalformedField {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (!isDigit(peek())) {
            throw new MalformedField("a number without digits at " + start);
        }
        int dot = -1;
        while (!atEnd() && (isDigit(peek()) || (peek() == '.' && dot < 0))) {
            if (peek() == '.') {
                dot = pos;
            }
            pos++;
        }
        String text = input.substring(start, pos);
        int digits = text.length() - (text.startsWith("-") ? 1 : 0);
        if (dot < 0) {
            if (digits > 15) {
                throw new MalformedField("an integer of more than 15 digits at " + start);
            }
            return Long.parseLong(text);
        }
        int fraction = pos - dot - 1;
        if (digits - fraction - 1 > 12 || fraction < 1 || fraction > 3) {
            throw new MalformedField("a decimal of the wrong shape at " + start);
        }
        return new BigDecimal(text);
    }

    private String string() throws MalformedField {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (!atEnd()) {
            char c = input.charAt(pos++);
            if (c == '\\') {
                char escaped = atEnd() ? 0 : input.charAt(pos++);
                if (escaped != '"' && escaped != '\\') {
                    throw new MalformedField("a string has a bad escape at " + (pos - 1));
                }
                value.append(escaped);
            } else if (c == '"') {
                return value.toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw new MalformedField("a string has a character outside printable ASCII at " + (pos - 1));
            } else {
                value.append(c);
            }
        }
        throw new MalformedField("a string is not closed");
    }

    private Token token() {
        int start = pos;
        pos++;
        while (!atEnd() && (isTchar(peek()) || peek() == ':' || peek() == '/')) {
            pos++;
        }
        return new Token(input.substring(start, pos));
    }

    private ByteSequence byteSequence() throws MalformedField {
        expect(':');
        int end = input.indexOf(':', pos);
        if (end < 0) {
            throw new MalformedField("a byte sequence is not closed");
        }
        String base64 = input.substring(pos, end);
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
                throw new MalformedField("a byte sequence has a character outside base64 at " + (pos + i));
            }
        }
        pos = end + 1;
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedField("a byte sequence is not base64");
        }
        // Stricter than RFC 8941 section 4.2.7: padding missing or non-zero trailing bits would let other text stand
        // for the same bytes, and the signed headers must be the bytes received (docs/protocol.md section 16).
        if (!Base64.getEncoder().encodeToString(bytes).equals(base64)) {
            throw new MalformedField("a byte sequence is not in canonical base64 (padded, no trailing bits)");
        }
        return new ByteSequence(bytes);
    }

    private Boolean bool() throws MalformedField {
        expect('?');
        char c = atEnd() ? 0 : input.charAt(pos++);
        if (c != '0' && c != '1') {
            throw new MalformedField("a boolean is neither ?0 nor ?1");
        }
        return c == '1';
    }

    private char peek() {
        return atEnd() ? 0 : input.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private void expect(char c) throws MalformedField {
        if (peek() != c || atEnd()) {
            throw new MalformedField("expected '" + c + "' at " + pos);
        }
        pos++;
    }

    private void skipSpaces() {
        while (!atEnd() && peek() == ' ') {
            pos++;
        }
    }

    private void skipOws() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(char c) {
        return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isKeyChar(char c) {
        return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    private static boolean isTchar(char c) {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

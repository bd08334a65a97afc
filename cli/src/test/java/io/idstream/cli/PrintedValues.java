package io.idstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Looks for disclosed values in what a command printed. A value counts when it stands as a whole token, not flanked
 * by a letter, digit or underscore: "DE" is found in {@code country=DE}, {@code [DE, true]} or {@code "DE"}, but not
 * in {@code DELIVERED}; so short values are looked for as well as long ones.
 */
final class PrintedValues {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PrintedValues() {
    }

    /** Asserts that no value of {@code values} (by field name) stands as a token anywhere in {@code printed}. */
    static void assertNoneIn(String printed, Map<String, String> values, String what) {
        List<String> found = new ArrayList<>();
        values.forEach((field, value) -> printed.lines().filter(line -> token(value).matcher(line).find())
                .forEach(line -> found.add("the value of " + field + " ('" + value + "') in: " + line)));
        assertThat(found).as("values printed in %s", what).isEmpty();
    }

    /**
     * Parses every line of {@code printed} as one JSON object and asserts that none of its strings, names or
     * values, at any depth, holds a value of {@code values} as a token. Its booleans and numbers are not strings,
     * so a field's value, a string, cannot be among them.
     */
    static void assertNoneInJsonLines(String printed, Map<String, String> values, String what) {
        for (String line : printed.strip().lines().toList()) {
            List<String> strings = new ArrayList<>();
            try {
                JsonNode object = MAPPER.readTree(line);
                assertThat(object.isObject()).as("a JSON object in %s: %s", what, line).isTrue();
                collectStrings(object, strings);
            } catch (JsonProcessingException e) {
                fail("not a line of JSON in " + what + ": " + line, e);
            }
            assertNoneIn(String.join("\n", strings), values, what + ", in the strings of the line " + line);
        }
    }

    private static void collectStrings(JsonNode node, List<String> strings) {
        if (node.isTextual()) {
            strings.add(node.textValue());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            strings.add(field.getKey());
            collectStrings(field.getValue(), strings);
        }
        if (node.isArray()) {
            node.forEach(element -> collectStrings(element, strings));
        }
    }

    private static Pattern token(String value) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(value) + "(?![A-Za-z0-9_])");
    }
}

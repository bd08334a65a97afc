package io.idstream.topics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One generation of a deployment's holder-keyed topics: its number, which names the topics
 * ({@link TopicFactory#generationName}), and the partition count they all have. Growing the partition count makes a
 * new generation rather than adding partitions in place, because a producer that has not yet refreshed its metadata
 * would keep writing a holder to her old partition while others write her new one (docs/operations.md "Growing the
 * partition count").
 *
 * <p>On {@code <prefix>.generation} a generation is the UTF-8 text {@code {"generation":G,"partitions":N}}, exactly
 * so, with no spaces (docs/protocol.md section 9).
 */
public record TopicGeneration(int number, int partitions) {
    public static final int MAX_GENERATION = 9_999;
    public static final int MAX_PARTITIONS = 10_000;
    private static final Pattern TEXT = Pattern.compile("\\{\"generation\":(0|[1-9][0-9]{0,3}),"
            + "\"partitions\":([1-9][0-9]{0,4})}");

    public TopicGeneration {
        if (number < 0 || number > MAX_GENERATION) {
            throw new IllegalArgumentException("generation must be 0.." + MAX_GENERATION + ": " + number);
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1.." + MAX_PARTITIONS + ": " + partitions);
        }
    }

    /** The generation's record value on {@code <prefix>.generation}. */
    public byte[] encode() {
        return ("{\"generation\":" + number + ",\"partitions\":" + partitions + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The generation a record value names, or empty for any other bytes. */
    public static Optional<TopicGeneration> decode(byte[] value) {
        if (value == null || value.length > 64) {
            return Optional.empty();
        }
        Matcher matcher = TEXT.matcher(new String(value, StandardCharsets.UTF_8));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int partitions = Integer.parseInt(matcher.group(2));
        if (partitions > MAX_PARTITIONS) {
            return Optional.empty();
        }
        return Optional.of(new TopicGeneration(Integer.parseInt(matcher.group(1)), partitions));
    }

    /** The next generation, with {@code partitions} partitions. */
    public TopicGeneration next(int partitions) {
        return new TopicGeneration(number + 1, partitions);
    }

    @Override
    public String toString() {
        return "generation " + number + " (" + partitions + " partitions)";
    }
}

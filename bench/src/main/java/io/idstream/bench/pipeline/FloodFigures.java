package io.idstream.bench.pipeline;

import java.util.Locale;
import java.util.Map;

/** What one flood run measured, as {@link FloodBenchmark} describes; {@link #markdown} is the table it prints. */
public record FloodFigures(int requests, int requestBytes, double heapMaxMb, double baselineAfterGcMb,
                           double floodSeconds, boolean caughtUp, double catchUpSeconds, double afterFloodAfterGcMb,
                           boolean grantTaken, double grantSeconds, double afterGrantAfterGcMb, double peakUsedMb,
                           double maxPollIntervalMs, double rebalances, Map<String, Double> rejections,
                           Map<String, Double> outcomes) {
    public String markdown() {
        StringBuilder table = new StringBuilder("| measure | value |\n| --- | --- |\n");
        row(table, "flood", "%d requests of %d bytes from one consumer to one holder", requests, requestBytes);
        row(table, "sent in", "%.1f s", floodSeconds);
        row(table, "processed in", caughtUp ? "%.1f s" : "not within %.0f s", catchUpSeconds);
        row(table, "platform heap used after GC: before / after the flood / after the grant",
                "%.0f / %.0f / %.0f MB of %.0f MB", baselineAfterGcMb, afterFloodAfterGcMb, afterGrantAfterGcMb,
                heapMaxMb);
        row(table, "platform heap used, highest sample", "%.0f MB", peakUsedMb);
        row(table, "the holder's grant taken in", grantTaken ? "%.1f s" : "not within %.0f s", grantSeconds);
        row(table, "longest time between two polls of the processors' consumer", "%.0f ms", maxPollIntervalMs);
        row(table, "rebalances during the run", "%.0f", rebalances);
        row(table, "processors' refusals by reason", "%s", counts(rejections));
        row(table, "processors' outcomes", "%s", counts(outcomes));
        return table.toString();
    }

    private static void row(StringBuilder table, String measure, String format, Object... args) {
        table.append("| ").append(measure).append(" | ").append(String.format(Locale.ROOT, format, args))
                .append(" |\n");
    }

    private static String counts(Map<String, Double> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((key, count) -> text.append(text.isEmpty() ? "" : ", ").append(key).append(' ')
                .append(Math.round(count)));
        return text.toString();
    }
}

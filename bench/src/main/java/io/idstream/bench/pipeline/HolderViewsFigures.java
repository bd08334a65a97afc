package io.idstream.bench.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The holder views' figures ({@link HolderViewsBenchmark}): the first inbox and audit pages read through the gateway,
 * on an empty platform and with other holders' records in the holder's partitions, and request → inbox event; as
 * flat JSON keys (prefixed {@code holder_}) and markdown rows set against their targets. 
 */
public record HolderViewsFigures(int calls, int partitions, int otherHolders, int otherRecords, double writtenSeconds,
                                 double loadedSeconds, long inboxStored, long auditStored, Percentiles inboxEmpty,
                                 Percentiles auditEmpty, Percentiles inboxLoaded, Percentiles auditLoaded,
                                 Percentiles requestToEvent, LoadAverages loadAverages) {
    /** The machine's one-minute load averages at the end of the empty, loaded and event phases. */
    public record LoadAverages(double empty, double loaded, double events) {
    }

    static final double TARGET_VIEW_P99_MS = 20;
    static final double TARGET_LOADED_VS_EMPTY = 1.5;
    static final double TARGET_EVENT_P99_MS = 1_000;

    /** Whether every target is met. */
    public boolean targetsMet() {
        return viewsWithin() && loadedWithin(inboxLoaded, inboxEmpty) && loadedWithin(auditLoaded, auditEmpty)
                && requestToEvent.p99Ms() <= TARGET_EVENT_P99_MS;
    }

    private boolean viewsWithin() {
        return inboxEmpty.p99Ms() <= TARGET_VIEW_P99_MS && auditEmpty.p99Ms() <= TARGET_VIEW_P99_MS
                && inboxLoaded.p99Ms() <= TARGET_VIEW_P99_MS && auditLoaded.p99Ms() <= TARGET_VIEW_P99_MS;
    }

    private static boolean loadedWithin(Percentiles loaded, Percentiles empty) {
        return loaded.p99Ms() <= TARGET_LOADED_VS_EMPTY * empty.p99Ms();
    }

    /** The flat JSON keys, each measure rounded to two decimals. */
    public Map<String, Object> asMap() {
        Map<String, Object> figures = new LinkedHashMap<>();
        percentiles(figures, "holder_inbox_empty", inboxEmpty);
        percentiles(figures, "holder_audit_empty", auditEmpty);
        percentiles(figures, "holder_inbox_loaded", inboxLoaded);
        percentiles(figures, "holder_audit_loaded", auditLoaded);
        figures.put("holder_inbox_loaded_vs_empty_p99", round(inboxLoaded.p99Ms() / inboxEmpty.p99Ms()));
        figures.put("holder_audit_loaded_vs_empty_p99", round(auditLoaded.p99Ms() / auditEmpty.p99Ms()));
        percentiles(figures, "holder_request_to_event", requestToEvent);
        figures.put("holder_view_calls", calls);
        figures.put("holder_event_requests", requestToEvent.count());
        figures.put("holder_other_records", otherRecords);
        figures.put("holder_other_holders", otherHolders);
        figures.put("holder_partitions", partitions);
        figures.put("holder_load_average_empty", round(loadAverages.empty()));
        figures.put("holder_load_average_loaded", round(loadAverages.loaded()));
        figures.put("holder_load_average_events", round(loadAverages.events()));
        figures.put("holder_load_written_s", round(writtenSeconds));
        figures.put("holder_load_taken_s", round(loadedSeconds));
        figures.put("holder_load_inbox_changelog_records", inboxStored);
        figures.put("holder_load_audit_changelog_records", auditStored);
        return figures;
    }

    /** Rows for the bench's markdown table. */
    public String markdownRows() {
        StringBuilder md = new StringBuilder();
        row(md, "holder inbox, empty platform p50 / p99 / max", format(inboxEmpty),
                target(inboxEmpty.p99Ms() <= TARGET_VIEW_P99_MS, "p99 ≤ 20 ms"));
        row(md, "holder audit (first page), empty platform p50 / p99 / max", format(auditEmpty),
                target(auditEmpty.p99Ms() <= TARGET_VIEW_P99_MS, "p99 ≤ 20 ms"));
        String loaded = f(", with %,d records of %,d other holders in its partition", otherRecords, otherHolders);
        row(md, "holder inbox" + loaded + " p50 / p99 / max", format(inboxLoaded) + f(" (p99 %.2f× empty)",
                inboxLoaded.p99Ms() / inboxEmpty.p99Ms()), target(inboxLoaded.p99Ms() <= TARGET_VIEW_P99_MS
                && loadedWithin(inboxLoaded, inboxEmpty), "p99 ≤ 20 ms and ≤ 1.5× empty"));
        row(md, "holder audit (first page)" + loaded + " p50 / p99 / max", format(auditLoaded)
                + f(" (p99 %.2f× empty)", auditLoaded.p99Ms() / auditEmpty.p99Ms()),
                target(auditLoaded.p99Ms() <= TARGET_VIEW_P99_MS && loadedWithin(auditLoaded, auditEmpty),
                        "p99 ≤ 20 ms and ≤ 1.5× empty"));
        row(md, "other holders' records written / taken by the gateway", f("%,d in %.1f s / %.1f s (its inbox and "
                + "audit changelogs grew by %,d and %,d records)", otherRecords, writtenSeconds, loadedSeconds,
                inboxStored, auditStored), "");
        row(md, "consumer request → holder's inbox event p50 / p99 / max", format(requestToEvent)
                + f(" (%d requests)", requestToEvent.count()),
                target(requestToEvent.p99Ms() <= TARGET_EVENT_P99_MS, "p99 ≤ 1 s"));
        return md.toString();
    }

    /** The table alone, for a holder-views run on its own. */
    public String markdown() {
        return "| measure | value | target |\n| --- | --- | --- |\n" + markdownRows()
                + f("\n%,d sequential signed calls each, after a warm-up; %d partitions; the machine's load average "
                + "(1 min, %d cores) after the empty, loaded and event phases: %.1f / %.1f / %.1f.%n", calls,
                partitions, Runtime.getRuntime().availableProcessors(), loadAverages.empty(), loadAverages.loaded(),
                loadAverages.events());
    }

    private static String format(Percentiles percentiles) {
        return f("%.2f / %.2f / %.2f ms", percentiles.p50Ms(), percentiles.p99Ms(), percentiles.maxMs());
    }

    private static void percentiles(Map<String, Object> figures, String prefix, Percentiles percentiles) {
        figures.put(prefix + "_p50_ms", round(percentiles.p50Ms()));
        figures.put(prefix + "_p99_ms", round(percentiles.p99Ms()));
        figures.put(prefix + "_max_ms", round(percentiles.maxMs()));
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0;
    }

    private static void row(StringBuilder md, String measure, String value, String target) {
        md.append("| ").append(measure).append(" | ").append(value).append(" | ").append(target).append(" |\n");
    }

    private static String target(boolean met, String target) {
        return target + (met ? " met" : " **missed**");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

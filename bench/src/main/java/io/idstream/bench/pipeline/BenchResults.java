package io.idstream.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One run's figures, phase by phase, written as {@code bench/results/latest.json} (flat keys, two decimals) and as a
 * markdown table that sets each figure against its target. The keys are the README's; a new figure gets a new key.
 * {@code holderViews} is null for a run without the holder views.
 */
public record BenchResults(BenchOptions options, CryptoFloor.Figures floor, GrantCosts.Figures grants,
                           RawKafkaBaseline.Figures raw, SteadyStatePhase.Figures steady, double pacedPerSec,
                           Latency paced, ApprovalPhase.Figures approvals, PlatformIdle.Figures idle,
                           HolderViewsFigures holderViews) {
    static final double TARGET_DELIVERIES_PER_SEC = 5_000;
    static final double TARGET_CPU_VS_VERIFY = 3;
    static final double TARGET_APPROVAL_P99_MS = 100;
    static final double TARGET_GRANT_1MB_VS_1KB = 1.2;

    /** True when every request was delivered and every verified delivery and approval passed. */
    public boolean allVerified() {
        return steady.verifyFailures() == 0 && steady.delivered() == steady.requests()
                && approvals.verified() == options.approvals();
    }

    /** The same run with the holder views' figures. */
    public BenchResults withHolderViews(HolderViewsFigures figures) {
        return new BenchResults(options, floor, grants, raw, steady, pacedPerSec, paced, approvals, idle, figures);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> figures = pipelineFigures();
        if (holderViews != null) {
            figures.putAll(holderViews.asMap());
        }
        return figures;
    }

    private Map<String, Object> pipelineFigures() {
        return new FigureMap()
                .text("mode", options.quick() ? "quick" : "full")
                .count("cores", Runtime.getRuntime().availableProcessors())
                .count("nodes", options.nodes())
                .measure("deliveries_per_sec", steady.deliveriesPerSec())
                .measure("cpu_us_per_delivery", steady.cpuUsPerDelivery())
                .measure("ed25519_verify_us", floor.ed25519VerifyUs())
                .measure("cpu_per_delivery_vs_verify", cpuPerDeliveryVsVerify())
                .percentiles("request", steady.latency())
                .measure("paced_per_sec", pacedPerSec)
                .percentiles("paced_request", paced)
                .measure("approval_p50_ms", approvals.latency().p50Ms())
                .measure("approval_p99_ms", approvals.latency().p99Ms())
                .measure("raw_kafka_per_sec", raw.perSec())
                .measure("idstream_vs_raw", idstreamVsRaw())
                .bySize("grant_ms", grants.grantMs())
                .bySize("copy_reencrypt_ms", grants.copyReencryptMs())
                .measure("peak_rss_mb", steady.peakRssMb())
                .measure("ed25519_verify_per_sec", floor.ed25519VerifyPerSec())
                .measure("hpke_open_per_sec", floor.hpkeOpenPerSec())
                .count("requests", steady.requests())
                .count("delivered", steady.delivered())
                .count("request_bytes", raw.requestBytes())
                .count("verified_sample", steady.verifiedSample())
                .count("verify_failures", steady.verifyFailures())
                .count("approvals_verified", approvals.verified())
                .measure("approval_background_per_sec", approvals.backgroundPerSec())
                .count("holders", options.holders())
                .count("consumers", options.consumers())
                .count("partitions", idle.partitions())
                .text("stream_threads", idle.streamThreads() > 0 ? Integer.toString(idle.streamThreads())
                        : "default")
                .measure("platform_start_s", idle.startSeconds())
                .measure("idle_rss_mb", idle.idleRssMb())
                .measure("idle_cpu_percent", idle.idleCpuPercent())
                .map();
    }

    public void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(asMap()) + "\n");
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| measure | value | target |\n| --- | --- | --- |\n");
        row(md, "Kafka nodes", options.nodes() == 1 ? "1 (nothing replicated)"
                : f("%d (every topic replicated, acks=all)", options.nodes()), "");
        row(md, "partitions / processors' stream threads", f("%d / %s", idle.partitions(),
                idle.streamThreads() > 0 ? Integer.toString(idle.streamThreads()) : "the platform's default"), "");
        row(md, "platform start to RUNNING; idle RSS and CPU", f("%.1f s; %.0f MB, %.1f %% of one core",
                idle.startSeconds(), idle.idleRssMb(), idle.idleCpuPercent()), "");
        row(md, "Ed25519 verify (one core)", f("%.1f µs, %.0f/s", floor.ed25519VerifyUs(),
                floor.ed25519VerifyPerSec()), "");
        row(md, "HPKE open (one core)", f("%.0f/s", floor.hpkeOpenPerSec()), "");
        row(md, "verified deliveries/s (steady state)", f("%.0f", steady.deliveriesPerSec()),
                target(steady.deliveriesPerSec() >= TARGET_DELIVERIES_PER_SEC, "≥ 5,000"));
        row(md, "platform CPU per delivery", f("%.0f µs = %.1f× one verify", steady.cpuUsPerDelivery(),
                cpuPerDeliveryVsVerify()), target(cpuPerDeliveryVsVerify() <= TARGET_CPU_VS_VERIFY, "≤ 3×"));
        Latency full = steady.latency();
        row(md, "request → delivery p50 / p99 / p99.9, full speed", f("%.1f / %.1f / %.1f ms (queueing: %d "
                + "requests sent at once)", full.p50Ms(), full.p99Ms(), full.p999Ms(), steady.requests()), "");
        row(md, "request → delivery p50 / p99 / p99.9, paced", f("%.1f / %.1f / %.1f ms at %.0f requests/s",
                paced.p50Ms(), paced.p99Ms(), paced.p999Ms(), pacedPerSec), "");
        Latency approval = approvals.latency();
        row(md, "approval → verified delivery p50 / p99", f("%.1f / %.1f ms (under %.0f requests/s)",
                approval.p50Ms(), approval.p99Ms(), approvals.backgroundPerSec()),
                target(approval.p99Ms() <= TARGET_APPROVAL_P99_MS, "p99 ≤ 100 ms"));
        row(md, "raw Kafka produce → consume", f("%.0f records/s of %d B; idstream / raw = %.2f", raw.perSec(),
                raw.requestBytes(), idstreamVsRaw()), "");
        GrantCosts.BySize grant = grants.grantMs();
        GrantCosts.BySize copy = grants.copyReencryptMs();
        row(md, "grant 1 KB / 64 KB / 1 MB credential", grant.format(),
                target(grant.mb1() <= TARGET_GRANT_1MB_VS_1KB * grant.kb1(), "1 MB ≤ 1.2× 1 KB"));
        row(md, "re-encrypted copy 1 KB / 64 KB / 1 MB", copy.format() + f(" (%.0f× the grant at 1 MB)",
                copy.mb1() / grant.mb1()), "");
        row(md, "platform peak RSS (steady state)", f("%.0f MB", steady.peakRssMb()), "");
        row(md, "sample fully verified by consumers", f("%d of %d deliveries (%d failed); %d of %d approvals",
                steady.verifiedSample(), steady.delivered(), steady.verifyFailures(), approvals.verified(),
                options.approvals()), "");
        if (holderViews != null) {
            md.append(holderViews.markdownRows());
        }
        return md.toString();
    }

    private double cpuPerDeliveryVsVerify() {
        return steady.cpuUsPerDelivery() / floor.ed25519VerifyUs();
    }

    private double idstreamVsRaw() {
        return steady.deliveriesPerSec() / raw.perSec();
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

    /**
     * The flat JSON map, in the order the figures are put: a measure is rounded to two decimals (one that is not
     * finite, from a phase that measured nothing, is written as 0); a count stays as it is.
     */
    private static final class FigureMap {
        private final Map<String, Object> figures = new LinkedHashMap<>();

        FigureMap text(String key, String value) {
            figures.put(key, value);
            return this;
        }

        FigureMap count(String key, int value) {
            figures.put(key, value);
            return this;
        }

        FigureMap measure(String key, double value) {
            figures.put(key, Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0);
            return this;
        }

        /** {@code <prefix>_p50_ms}, {@code _p99_ms} and {@code _p999_ms}. */
        FigureMap percentiles(String prefix, Latency latency) {
            return measure(prefix + "_p50_ms", latency.p50Ms()).measure(prefix + "_p99_ms", latency.p99Ms())
                    .measure(prefix + "_p999_ms", latency.p999Ms());
        }

        /** {@code <prefix>_1kb}, {@code _64kb} and {@code _1mb}. */
        FigureMap bySize(String prefix, GrantCosts.BySize bySize) {
            return measure(prefix + "_1kb", bySize.kb1()).measure(prefix + "_64kb", bySize.kb64())
                    .measure(prefix + "_1mb", bySize.mb1());
        }

        Map<String, Object> map() {
            return figures;
        }
    }
}

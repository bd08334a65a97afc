package io.idstream.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One run's figures, as {@code bench/results/latest.json} and as a markdown table with the targets. */
public final class BenchResults {
    static final double TARGET_DELIVERIES_PER_SEC = 5_000;
    static final double TARGET_CPU_VS_VERIFY = 3;
    static final double TARGET_APPROVAL_P99_MS = 100;
    static final double TARGET_GRANT_1MB_VS_1KB = 1.2;

    private final BenchOptions options;
    double ed25519VerifyUs;
    double ed25519VerifyPerSec;
    double hpkeOpenPerSec;
    int requests;
    int delivered;
    int requestBytes;
    double deliveriesPerSec;
    double cpuUsPerDelivery;
    double requestP50Ms;
    double requestP99Ms;
    double requestP999Ms;
    double pacedPerSec;
    double pacedP50Ms;
    double pacedP99Ms;
    double pacedP999Ms;
    int verifiedSample;
    int verifyFailures;
    double approvalP50Ms;
    double approvalP99Ms;
    double approvalBackgroundPerSec;
    int approvalsVerified;
    double rawKafkaPerSec;
    double grantMs1kb;
    double grantMs64kb;
    double grantMs1mb;
    double copyReencryptMs1kb;
    double copyReencryptMs64kb;
    double copyReencryptMs1mb;
    double peakRssMb;

    BenchResults(BenchOptions options) {
        this.options = options;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", options.quick() ? "quick" : "full");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("deliveries_per_sec", round(deliveriesPerSec));
        m.put("cpu_us_per_delivery", round(cpuUsPerDelivery));
        m.put("ed25519_verify_us", round(ed25519VerifyUs));
        m.put("cpu_per_delivery_vs_verify", round(cpuUsPerDelivery / ed25519VerifyUs));
        m.put("request_p50_ms", round(requestP50Ms));
        m.put("request_p99_ms", round(requestP99Ms));
        m.put("request_p999_ms", round(requestP999Ms));
        m.put("paced_per_sec", round(pacedPerSec));
        m.put("paced_request_p50_ms", round(pacedP50Ms));
        m.put("paced_request_p99_ms", round(pacedP99Ms));
        m.put("paced_request_p999_ms", round(pacedP999Ms));
        m.put("approval_p50_ms", round(approvalP50Ms));
        m.put("approval_p99_ms", round(approvalP99Ms));
        m.put("raw_kafka_per_sec", round(rawKafkaPerSec));
        m.put("idstream_vs_raw", round(deliveriesPerSec / rawKafkaPerSec));
        m.put("grant_ms_1kb", round(grantMs1kb));
        m.put("grant_ms_64kb", round(grantMs64kb));
        m.put("grant_ms_1mb", round(grantMs1mb));
        m.put("copy_reencrypt_ms_1kb", round(copyReencryptMs1kb));
        m.put("copy_reencrypt_ms_64kb", round(copyReencryptMs64kb));
        m.put("copy_reencrypt_ms_1mb", round(copyReencryptMs1mb));
        m.put("peak_rss_mb", round(peakRssMb));
        m.put("ed25519_verify_per_sec", round(ed25519VerifyPerSec));
        m.put("hpke_open_per_sec", round(hpkeOpenPerSec));
        m.put("requests", requests);
        m.put("delivered", delivered);
        m.put("request_bytes", requestBytes);
        m.put("verified_sample", verifiedSample);
        m.put("verify_failures", verifyFailures);
        m.put("approvals_verified", approvalsVerified);
        m.put("approval_background_per_sec", round(approvalBackgroundPerSec));
        m.put("holders", options.holders());
        m.put("consumers", options.consumers());
        return m;
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
        row(md, "Ed25519 verify (one core)", f("%.1f µs, %.0f/s", ed25519VerifyUs, ed25519VerifyPerSec), "");
        row(md, "HPKE open (one core)", f("%.0f/s", hpkeOpenPerSec), "");
        row(md, "verified deliveries/s (steady state)", f("%.0f", deliveriesPerSec),
                target(deliveriesPerSec >= TARGET_DELIVERIES_PER_SEC, "≥ 5,000"));
        row(md, "platform CPU per delivery", f("%.0f µs = %.1f× one verify", cpuUsPerDelivery,
                cpuUsPerDelivery / ed25519VerifyUs), target(cpuUsPerDelivery / ed25519VerifyUs
                <= TARGET_CPU_VS_VERIFY, "≤ 3×"));
        row(md, "request → delivery p50 / p99 / p99.9, full speed", f("%.1f / %.1f / %.1f ms (queueing: %d "
                + "requests sent at once)", requestP50Ms, requestP99Ms, requestP999Ms, requests), "");
        row(md, "request → delivery p50 / p99 / p99.9, paced", f("%.1f / %.1f / %.1f ms at %.0f requests/s",
                pacedP50Ms, pacedP99Ms, pacedP999Ms, pacedPerSec), "");
        row(md, "approval → verified delivery p50 / p99", f("%.1f / %.1f ms (under %.0f requests/s)",
                approvalP50Ms, approvalP99Ms, approvalBackgroundPerSec),
                target(approvalP99Ms <= TARGET_APPROVAL_P99_MS, "p99 ≤ 100 ms"));
        row(md, "raw Kafka produce → consume", f("%.0f records/s of %d B; idstream / raw = %.2f", rawKafkaPerSec,
                requestBytes, deliveriesPerSec / rawKafkaPerSec), "");
        row(md, "grant 1 KB / 64 KB / 1 MB credential", f("%.2f / %.2f / %.2f ms", grantMs1kb, grantMs64kb,
                grantMs1mb), target(grantMs1mb <= TARGET_GRANT_1MB_VS_1KB * grantMs1kb, "1 MB ≤ 1.2× 1 KB"));
        row(md, "re-encrypted copy 1 KB / 64 KB / 1 MB", f("%.2f / %.2f / %.2f ms (%.0f× the grant at 1 MB)",
                copyReencryptMs1kb, copyReencryptMs64kb, copyReencryptMs1mb, copyReencryptMs1mb / grantMs1mb), "");
        row(md, "platform peak RSS (steady state)", f("%.0f MB", peakRssMb), "");
        row(md, "sample fully verified by consumers", f("%d of %d deliveries (%d failed); %d of %d approvals",
                verifiedSample, delivered, verifyFailures, approvalsVerified, options.approvals()), "");
        return md.toString();
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

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0;
    }
}

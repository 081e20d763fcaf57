package io.cellwatch.bench;

import java.util.ArrayList;
import java.util.List;

import static io.cellwatch.bench.Stats.num;
import static io.cellwatch.bench.Stats.rate;

/**
 * Everything one {@link BenchMain} run measured, each scenario {@code null} if it did not run, and its rendering as
 * Markdown (pasted as is into docs/benchmarks.md): headline figures first, then machine and parameters, then each
 * scenario's tables.
 */
record SuiteReport(String command, SuiteOptions options, List<String> machine, IngestScenario.Result ingest,
                   AclCostScenario.Result acl,
                   PersistenceScenario.Result persistence, LatencyScenario.Result latency,
                   List<ScaleScenario.Size> scale, StorageReport storage, double seconds) {

    /** The report as Markdown. */
    String render() {
        final List<String> out = new ArrayList<>();
        out.add("## cellwatch benchmark" + (options.smoke() ? " [SMOKE: sizes too small to mean anything]" : ""));
        out.add("");
        out.add("Command: `" + command + "` (whole run " + num(seconds, 0) + " s)");
        out.add("");
        out.add("### Headline");
        out.add("");
        out.addAll(headline().render());
        out.add("");
        out.add("### Machine and JVM");
        out.add("");
        out.add("```");
        out.addAll(machine);
        out.add("options: " + options + (options.smoke() ? "  [SMOKE]" : ""));
        out.add("```");
        out.add("");
        if (ingest != null) {
            out.addAll(IngestScenario.render(options, ingest));
        }
        if (acl != null) {
            out.addAll(AclCostScenario.render(options, acl));
        }
        if (persistence != null) {
            out.addAll(PersistenceScenario.render(options, persistence));
        }
        if (latency != null) {
            out.addAll(LatencyScenario.render(options, latency));
        }
        if (scale != null) {
            out.addAll(ScaleScenario.render(scale));
        }
        if (storage != null) {
            out.add("### Storage: WAL → DuckDB without broker, and the history query (StorageBenchmark)");
            out.add("");
            // StorageReport renders its own machine section; its headings move one level down here.
            out.add(storage.render().replace("\n### ", "\n#### ").replaceFirst("^### ", "#### "));
            out.add("");
        }
        return String.join("\n", out);
    }

    /** The figures the issues ask for, one row each, with where they come from. */
    MarkdownTable headline() {
        final MarkdownTable table = new MarkdownTable("figure", "value", "from");
        if (ingest != null) {
            for (final int qos : List.of(0, 1)) {
                ingest.row(IngestScenario.AUTH_OFF, qos).ifPresent(r -> table.row(
                        "cellwatch (auth off) max sustained, QoS " + qos, rate(r.median()) + " samples/s",
                        "ingest, median of " + r.accepted().size()));
                table.row("cellwatch auth off / bare broker, QoS " + qos,
                        IngestScenario.ratio(ingest, IngestScenario.AUTH_OFF, IngestScenario.BARE, qos), "ingest");
                table.row("cellwatch auth off / HiveMQ + no-op publish interceptor, QoS " + qos,
                        IngestScenario.ratio(ingest, IngestScenario.AUTH_OFF, IngestScenario.NOOP_INTERCEPTOR, qos),
                        "ingest");
                table.row("cellwatch auth+ACL / cellwatch auth off, QoS " + qos + " (ACL cost = 100 % − this)",
                        IngestScenario.ratio(ingest, IngestScenario.AUTH_ACL, IngestScenario.AUTH_OFF, qos),
                        "ingest");
            }
        }
        if (acl != null) {
            table.row("ACL cost on the publish path: server CPU per publish, auth+ACL vs auth off (QoS 1 paced at "
                    + rate(acl.offered()) + " samples/s)", AclCostScenario.signed(acl.serverCostPercent()),
                    "acl, median of " + acl.sustainedPairs().size() + " pairs");
            table.row("ACL cost: extension executor CPU per publish, same runs",
                    AclCostScenario.signed(acl.extensionCostPercent()), "acl");
            table.row("ACL: flat-out QoS 1 accepted samples/s, auth+ACL vs auth off, same servers",
                    AclCostScenario.signed(acl.flatOutChangePercent()), "acl, median of "
                            + acl.of(IngestScenario.AUTH_OFF).size() + " pairs");
        }
        if (persistence != null) {
            table.row("WAL → DuckDB lag p50 / p99 under MQTT load", num(persistence.duckdbLagMs()[0], 0) + " / "
                    + num(persistence.duckdbLagMs()[1], 0) + " ms", "persistence (per batch)");
            table.row("publish → PUBACK p99 (includes WAL append)",
                    num(persistence.ack().getValueAtPercentile(99) / 1000.0, 2) + " ms", "persistence");
            table.row("disk bytes per sample, WAL / DuckDB",
                    num((double) persistence.walBytes() / persistence.totalSamples(), 1) + " / "
                            + num((double) persistence.historyBytes() / persistence.totalSamples(), 1),
                    "persistence");
        }
        if (latency != null && !latency.steps().isEmpty()) {
            for (final LatencyScenario.Step step : latency.steps()) {
                table.row("publish → WebSocket p50 / p99, " + step.clients() + " clients"
                        + (step.stalled() ? " + 1 stalled" : "") + ", " + rate(step.offered()) + " samples/s offered ("
                        + rate(step.medianAchieved()) + " accepted)", num(step.medianP50Ms(), 1) + " / "
                        + num(step.medianP99Ms(), 1) + " ms", "latency " + step.label() + ", median of "
                        + step.runs().size());
            }
        }
        if (scale != null && !scale.isEmpty()) {
            final ScaleScenario.Size last = scale.get(scale.size() - 1);
            table.row("heap per series at " + rate(last.series()) + " series", num(last.bytesPerSeries(), 0)
                    + " bytes", "scale");
            table.row("ingest ns new / known series at " + rate(last.series()), num(last.newNs(), 0) + " / "
                    + num(last.knownNs(), 0) + " ns", "scale");
        }
        if (storage != null) {
            final List<Double> committed = storage.paced().stream().map(IngestBenchmark.PacedRun::committedRate)
                    .toList();
            final List<Double> lagP99 = storage.paced().stream().map(r -> r.lag().p99()).toList();
            table.row("samples/s through WAL into DuckDB, sustained " + storage.options().pacedSeconds() + " s",
                    rate(Stats.median(committed)) + " (offered " + rate(storage.offeredRate()) + ")",
                    "storage paced, median of " + committed.size());
            table.row("WAL → DuckDB lag p99 (per publish)", num(Stats.median(lagP99), 1) + " ms",
                    "storage paced, median of " + lagP99.size());
            final List<Double> appendMicros = storage.saturation().stream()
                    .map(r -> 1e6 * PackFleet.METRICS.size() / r.appendRate()).toList();
            table.row("WAL append per publish (SampleStore.accept, 3 samples)", num(Stats.median(appendMicros), 2)
                    + " µs", "storage flat out: 1 / publishes per second, one thread");
            if (!storage.queries().isEmpty()) {
                final QueryBenchmark.Timing day = storage.queries().get(0);
                table.row("history query, one pack " + day.label(), num(Stats.median(day.runsMs()), 1) + " ms",
                        "storage, median of " + day.runsMs().size());
            }
        }
        return table;
    }
}

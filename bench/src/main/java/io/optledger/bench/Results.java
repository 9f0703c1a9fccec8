package io.optledger.bench;

import java.util.ArrayList;
import java.util.List;

/** Everything one run measured, and the table rows and targets read from it. */
record Results(
        Measured batchReads,
        Measured reads,
        Measured ceiling,
        Measured batchWrites,
        Measured singleWrites,
        Measured signUps,
        Measured altcraft,
        Measured attentive,
        Measured capillary,
        Measured open25,
        Measured open50,
        Measured open80,
        Measured mixed,
        WebhookScenario.Outcome webhook,
        LongLedger.Outcome ledger,
        ImportScenario.Outcome imports,
        Measured rawA,
        Measured rawB,
        Measured rawC,
        Measured rawOpen25,
        Measured rawOpen50,
        long maxRssMb) {

    static final double P99_TARGET_MS = 10;
    static final long RSS_TARGET_MB = 768;

    /**
     * One line of the table: a service figure beside its baseline (another scenario's median, or a rate predicted from
     * others), and the target, if it has one.
     */
    record Row(String scenario, Measured service, double baseline, double baselineSpread, String target, Boolean met) {

        /** The ratio of medians; NaN without a baseline or when the baseline did nothing (see its errors). */
        double ratio() {
            return baseline > 0 && !service.mostlyFailed() ? service.median() / baseline : Double.NaN;
        }
    }

    /** One of the issues' targets: what it says, what was measured, and whether it was met (null: not measured). */
    record Target(String target, String measured, Boolean met) {}

    /** Single writes at {@code percent} of the peak single-write rate, per second. */
    double offered(int percent) {
        return singleWrites.median() * percent / 100;
    }

    /** The mixed rate the pure rates predict: each request costs its share of a read's and a write's time. */
    double mixedPredicted() {
        double r = reads.median();
        double w = singleWrites.median();
        return r > 0 && w > 0 ? 1 / (0.9 / r + 0.1 / w) : Double.NaN;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(ratio("batch writes (changes/s) vs raw (b)", batchWrites, rawB, 0.5));
        rows.add(ratio("single writes, peak (changes/s) vs raw (a)", singleWrites, rawA, 1.0));
        rows.add(ratio(
                "single writes, one-call sign-up of new emails (changes/s) vs known contacts",
                signUps,
                singleWrites,
                0));
        rows.add(ratio("capillary v1.1 batch (changes/s) vs batch writes", capillary, batchWrites, 0.8));
        rows.add(ratio("altcraft set (changes/s) vs single writes", altcraft, singleWrites, 0.5));
        rows.add(ratio("attentive subscribe (changes/s) vs single writes", attentive, singleWrites, 0.5));
        rows.add(p99("single writes open 25% of peak (changes/s)", open25, true));
        rows.add(p99("single writes open 50% of peak (changes/s)", open50, true));
        rows.add(p99("single writes open 80% of peak (changes/s)", open80, false));
        if (webhook != null) {
            Row withWebhook =
                    ratio("single writes open 50% + webhook (changes/s) vs without", webhook.writes(), open50, 0);
            rows.add(new Row(
                    withWebhook.scenario(),
                    webhook.writes(),
                    open50.median(),
                    open50.spread(),
                    "≥ 0.9×",
                    withWebhook.ratio() >= 0.9));
            rows.add(new Row(
                    "webhook deliveries (events/s; latency columns: commit→delivery lag of the events recorded in the windows)",
                    webhook.deliveries(),
                    Double.NaN,
                    0,
                    "",
                    null));
        }
        rows.add(ratio("eligibility reads (req/s) vs raw (c)", reads, rawC, 0.6));
        rows.add(ratio("eligibility reads (req/s) vs HTTP ceiling", reads, ceiling, 0.9));
        rows.add(ratio("batch eligibility (lookups/s) vs raw (c)", batchReads, rawC, 0));
        rows.add(ratio("HTTP ceiling (req/s)", ceiling, null, 0));
        double predicted = mixedPredicted();
        rows.add(new Row(
                "mixed 90/10 (req/s) vs predicted 1/(0.9/r + 0.1/w)",
                mixed,
                predicted,
                0,
                "≥ 0.8×",
                Double.isNaN(predicted) ? null : mixed.median() / predicted >= 0.8));
        rows.add(ratio("raw (a) 1 change/tx (tx/s)", rawA, null, 0));
        rows.add(ratio("raw (b) 100 changes/tx (changes/s)", rawB, null, 0));
        rows.add(ratio("raw (c) point select (selects/s)", rawC, null, 0));
        rows.add(p99("raw (a) open at the service's 25% of peak (tx/s)", rawOpen25, false));
        rows.add(p99("raw (a) open at the service's 50% of peak (tx/s)", rawOpen50, false));
        return rows;
    }

    private static Row ratio(String scenario, Measured service, Measured baseline, double target) {
        double value = baseline == null || baseline.mostlyFailed() ? Double.NaN : baseline.median();
        Row row = new Row(scenario, service, value, baseline == null ? 0 : baseline.spread(), "", null);
        if (target == 0) {
            return row;
        }
        return new Row(
                scenario,
                service,
                value,
                row.baselineSpread(),
                "≥ " + target + "×",
                Double.isNaN(row.ratio()) ? null : row.ratio() >= target);
    }

    private static Row p99(String scenario, Measured service, boolean target) {
        return new Row(
                scenario,
                service,
                Double.NaN,
                0,
                target ? "p99 < " + (int) P99_TARGET_MS + " ms" : "",
                target ? service.percentileMillis(99) < P99_TARGET_MS : null);
    }

    /** Issue 17's targets in its order, then issue 16's webhook targets. */
    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        targets.add(ratioTarget("single writes ≥ 1.0× raw (a)", singleWrites, rawA, 1.0));
        targets.add(ratioTarget("batch writes ≥ 0.5× raw (b)", batchWrites, rawB, 0.5));
        for (Measured open : List.of(open25, open50)) {
            Measured raw = open == open25 ? rawOpen25 : rawOpen50;
            targets.add(new Target(
                    "single-write p99 < 10 ms at " + (open == open25 ? "25" : "50") + "% of peak",
                    String.format(
                            java.util.Locale.ROOT,
                            "p99 %.2f ms (p99.9 %.2f ms) at %.0f/s offered; raw (a) at the same rate: p99 %.2f ms"
                                    + " (p99.9 %.2f ms)",
                            open.percentileMillis(99),
                            open.percentileMillis(99.9),
                            offered(open == open25 ? 25 : 50),
                            raw.percentileMillis(99),
                            raw.percentileMillis(99.9)),
                    open.percentileMillis(99) < P99_TARGET_MS));
        }
        double predicted = mixedPredicted();
        targets.add(new Target(
                "mixed 90/10 ≥ 0.8× the rate predicted from the pure rates, 1/(0.9/r + 0.1/w)",
                String.format(
                        java.util.Locale.ROOT,
                        "%.0f req/s vs predicted %.0f (r = %.0f reads/s, w = %.0f" + " writes/s): %.3f×",
                        mixed.median(),
                        predicted,
                        reads.median(),
                        singleWrites.median(),
                        mixed.median() / predicted),
                Double.isNaN(predicted) ? null : mixed.median() / predicted >= 0.8));
        targets.add(ratioTarget("eligibility ≥ 0.6× raw (c)", reads, rawC, 0.6));
        targets.add(ratioTarget("eligibility ≥ 0.9× HTTP ceiling", reads, ceiling, 0.9));
        targets.add(ratioTarget("Capillary batch ≥ 0.8× native batch", capillary, batchWrites, 0.8));
        targets.add(ratioTarget("Altcraft set ≥ 0.5× native single", altcraft, singleWrites, 0.5));
        targets.add(ratioTarget("Attentive subscribe ≥ 0.5× native single", attentive, singleWrites, 0.5));
        targets.add(
                new Target("service RSS < " + RSS_TARGET_MB + " MB", maxRssMb + " MB peak", maxRssMb < RSS_TARGET_MB));
        if (webhook != null) {
            targets.add(new Target(
                    "webhook: every event delivered",
                    String.format(
                            java.util.Locale.ROOT,
                            "%d acknowledged, %d distinct verified deliveries after a" + " %.1f s drain",
                            webhook.acknowledged(),
                            webhook.delivered(),
                            webhook.drainSeconds()),
                    webhook.allDelivered()));
            targets.add(new Target(
                    "webhook: commit→delivery lag p99 < 1 s (events recorded in the measured windows)",
                    String.format(
                            java.util.Locale.ROOT,
                            "p50 %.0f ms, p99 %.0f ms",
                            webhook.lagMillis(50),
                            webhook.lagMillis(99)),
                    Double.isNaN(webhook.lagMillis(99)) ? null : webhook.lagMillis(99) < 1000));
            double ratio = webhook.writes().ratioTo(open50);
            targets.add(new Target(
                    "webhook: write rate within 10% of the same scenario without",
                    String.format(
                            java.util.Locale.ROOT,
                            "%.0f vs %.0f changes/s: %.3f×",
                            webhook.writes().median(),
                            open50.median(),
                            ratio),
                    Double.isNaN(ratio) ? null : ratio >= 0.9));
        }
        if (imports != null) {
            targets.add(new Target(
                    "import ≥ 0.5× raw COPY + set-based merge with a ledger row per applied row (ii), at "
                            + String.format(java.util.Locale.ROOT, "%,d", imports.rows())
                            + " rows (issue 18)",
                    String.format(
                            java.util.Locale.ROOT,
                            "%.0f vs %.0f rows/s: %.3f× (vs the bare merge (i), %.0f rows/s: %.3f×)",
                            imports.importRate(),
                            imports.ledgerRate(),
                            imports.ratioToLedger(),
                            imports.bareRate(),
                            imports.ratioToBare()),
                    imports.met()));
        }
        return targets;
    }

    private static Target ratioTarget(String target, Measured service, Measured baseline, double at) {
        double ratio = service.ratioTo(baseline);
        return new Target(
                target,
                String.format(
                        java.util.Locale.ROOT,
                        "%.0f vs %.0f: %.3f×%s",
                        service.median(),
                        baseline.median(),
                        ratio,
                        service.mostlyFailed() || baseline.mostlyFailed() ? " (most requests failed: see Errors)" : ""),
                Double.isNaN(ratio) ? null : ratio >= at);
    }

    /** Every measured scenario, for the errors list. */
    List<Measured> all() {
        List<Measured> all = new ArrayList<>(List.of(
                batchReads,
                reads,
                ceiling,
                batchWrites,
                singleWrites,
                signUps,
                altcraft,
                attentive,
                capillary,
                open25,
                open50,
                open80,
                mixed,
                rawA,
                rawB,
                rawC));
        if (webhook != null) {
            all.add(webhook.writes());
        }
        if (ledger != null) {
            ledger.operations().forEach(o -> {
                all.add(o.ordinary());
                all.add(o.longer());
            });
        }
        return all;
    }
}

package io.optledger.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An import job as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImportView(
        String id,

        @Schema(description = "QUEUED, RUNNING, DONE, CANCELLED or FAILED")
        String state,

        boolean dryRun,
        String format,
        boolean notifyChanges,
        Rows rows,

        @Schema(description = "rows applied (or, in a dry run, decided) per second since the job started") @Nullable
        Double rowsPerSecond,

        @Schema(description = "seconds left at the current rate, while the job runs") @Nullable
        Long etaSeconds,

        Outcomes outcomes,

        @Schema(description = "up to 5 rows of each outcome: created, changed, unchanged, stale, rejected by reason")
        Map<String, Object> samples,

        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String error) {

    record Rows(
            @Schema(description = "rows in the file") long read,

            @Schema(description = "rows applied or decided so far, whatever their outcome")
            long done,

            @Schema(description = "rows that changed or created a subscription, or found it already so")
            long applied,

            long stale,
            long rejected) {}

    record Outcomes(
            long created, long changed, long unchanged, long stale, long rejected, Map<String, Long> rejectedBy) {}

    static ImportView of(ImportJob job, Instant now) {
        ImportJob.Outcomes o = job.outcomes();
        Double rate = Imports.rate(job, now);
        Long eta = job.state().finished() || rate == null || rate <= 0
                ? null
                : Duration.ofMillis((long) ((job.rowsTotal() - job.rowsDone()) / rate * 1000))
                        .toSeconds();
        Map<String, Object> samples = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> rejected = new LinkedHashMap<>();
        job.samples().forEach((key, list) -> {
            if (key.startsWith("rejected.")) {
                rejected.put(key.substring("rejected.".length()), list);
            } else {
                samples.put(key, list);
            }
        });
        if (!rejected.isEmpty()) {
            samples.put("rejected", rejected);
        }
        return new ImportView(
                job.id(),
                job.state().name(),
                job.dryRun(),
                job.format().name().toLowerCase(java.util.Locale.ROOT),
                job.notifyChanges(),
                new Rows(
                        job.rowsTotal(),
                        job.rowsDone(),
                        o.created() + o.changed() + o.unchanged(),
                        o.stale(),
                        o.rejected()),
                rate == null ? null : Math.round(rate * 10) / 10.0,
                eta,
                new Outcomes(o.created(), o.changed(), o.unchanged(), o.stale(), o.rejected(), o.rejectedBy()),
                samples,
                job.createdAt(),
                job.startedAt(),
                job.finishedAt(),
                job.error());
    }
}

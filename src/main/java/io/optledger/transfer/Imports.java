package io.optledger.transfer;

import io.optledger.consent.RequestContext;
import io.optledger.platform.BodyTooLarge;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.platform.Timestamps;
import io.optledger.transfer.internal.JdbcImportJobs;
import io.optledger.transfer.internal.JdbcImportJobs.Reject;
import io.optledger.transfer.internal.JdbcStaging;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes uploads and answers for jobs. An upload is read as it arrives and staged by COPY in one transaction with its
 * job: a file that turns out malformed, or too large, rolls back whole, so a refused upload leaves nothing behind.
 * The rows are applied later by {@link ImportWorker}.
 */
@Service
public class Imports {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcImportJobs jobs;
    private final JdbcStaging staging;
    private final TransactionTemplate tx;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final JsonMapper json;

    Imports(
            JdbcImportJobs jobs,
            JdbcStaging staging,
            PlatformTransactionManager transactions,
            Clock clock,
            JsonMapper json) {
        this.jobs = jobs;
        this.staging = staging;
        this.tx = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        this.json = json;
    }

    /**
     * Stages the file and queues its job; answers the job. {@link BodyTooLarge} when the body passes its limit, {@link
     * InvalidInput} when the file is malformed or has no rows; either way nothing is kept.
     */
    public ImportJob upload(long workspaceId, ImportOptions options, InputStream body, RequestContext context)
            throws BodyTooLarge {
        String id = "imp_" + HexFormat.of().formatHex(bytes());
        Instant receivedAt = Timestamps.micros(clock.instant());
        try {
            tx.executeWithoutResult(status -> {
                try {
                    RowSource rows = RowSource.of(options, body, receivedAt, json);
                    long staged = staging.copy(workspaceId, id, sink -> {
                        for (StagedRow row = rows.next(); row != null; row = rows.next()) {
                            sink.accept(row);
                        }
                    });
                    if (staged == 0) {
                        throw new InvalidInput("body", "the file has no rows");
                    }
                    jobs.insert(
                            workspaceId,
                            id,
                            options.dryRun(),
                            options.format(),
                            Map.of("notify", options.notifyChanges()),
                            staged,
                            context.apiKeyId(),
                            context.requestId(),
                            receivedAt);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            if (cause instanceof BodyTooLarge tooLarge) {
                throw tooLarge;
            }
            if (cause instanceof CharacterCodingException) {
                throw new InvalidInput("body", "the file is not UTF-8 text");
            }
            if (cause.getCause() instanceof java.sql.SQLException sql) {
                // COPY refused a row: text PostgreSQL cannot hold slipped past the reader's checks
                throw new InvalidInput("body", "the file could not be staged: " + sql.getMessage());
            }
            throw new InvalidInput("body", "the body could not be read: " + cause.getMessage());
        }
        return get(workspaceId, id);
    }

    private static byte[] bytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The job; {@link NotFound} when this workspace has none by that id (another's included). */
    public ImportJob get(long workspaceId, String id) {
        return jobs.find(workspaceId, id).orElseThrow(() -> new NotFound("no import " + id));
    }

    public List<ImportJob> recent(long workspaceId, int limit) {
        return jobs.list(workspaceId, limit);
    }

    /**
     * Cancels a job that is not over, at once: the chunk in progress (if any) is rolled back when it finds the job
     * cancelled, and the rows of the chunks committed before stay. A job that is over already is a {@link Conflict}.
     */
    public ImportJob cancel(long workspaceId, String id) {
        ImportJob job = get(workspaceId, id);
        if (!tx.execute(status -> jobs.cancel(workspaceId, id, clock.instant()))) {
            throw new Conflict(
                    "import " + id + " is over already (" + get(workspaceId, id).state() + ")");
        }
        return get(workspaceId, job.id());
    }

    /** Every rejected row of a job, in row order, streamed from a cursor. */
    public void rejects(long workspaceId, String id, Consumer<Reject> sink) {
        get(workspaceId, id);
        readOnly.executeWithoutResult(status -> jobs.rejects(workspaceId, id, sink));
    }

    static @Nullable Double rate(ImportJob job, Instant now) {
        if (job.startedAt() == null || job.rowsDone() == 0) {
            return null;
        }
        Instant end = job.finishedAt() != null ? job.finishedAt() : now;
        double seconds = Math.max(0.001, (end.toEpochMilli() - job.startedAt().toEpochMilli()) / 1000.0);
        return job.rowsDone() / seconds;
    }
}

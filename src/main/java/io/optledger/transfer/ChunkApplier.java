package io.optledger.transfer;

import io.optledger.access.Workspaces;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.RequestContext;
import io.optledger.contact.BulkRegistration;
import io.optledger.contact.Contacts;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one chunk of staged rows, inside the caller's transaction, through the one write path: each row becomes a
 * consent command for {@link ConsentService}, which decides it with the consent rules like any API call. Here only
 * what is not a consent decision happens: reading the row's identifiers and address (normalised as the API does, by
 * {@link RowPreparation}), finding or creating its contact by identifier ({@link Contacts#register}, as the dialects
 * do), and grouping the commands into batches. A dry run does it all the same, in a savepoint it rolls back.
 */
@Component
class ChunkApplier {

    private static final Pattern ITEM = Pattern.compile("items\\[(\\d+)]");

    private final ConsentService consent;
    private final Contacts contacts;
    private final BulkRegistration bulkRegistration;
    private final Workspaces workspaces;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    private final Duration maxClockSkew;

    ChunkApplier(
            ConsentService consent,
            Contacts contacts,
            BulkRegistration bulkRegistration,
            Workspaces workspaces,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${optledger.consent.max-clock-skew:5m}") Duration maxClockSkew) {
        this.consent = consent;
        this.contacts = contacts;
        this.bulkRegistration = bulkRegistration;
        this.workspaces = workspaces;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /** Applies the rows (or, for a dry run, decides them and rolls back) and answers one outcome per row, in order. */
    List<RowOutcome> apply(ImportJob job, List<StagedRow> rows) {
        if (!job.dryRun()) {
            return work(job, rows);
        }
        return Objects.requireNonNull(savepoint.execute(status -> {
            List<RowOutcome> outcomes = work(job, rows);
            status.setRollbackOnly();
            return outcomes;
        }));
    }

    private List<RowOutcome> work(ImportJob job, List<StagedRow> rows) {
        String region = workspaces.defaultRegion(job.workspaceId());
        Instant latest = clock.instant().plus(maxClockSkew);
        Map<Long, RowOutcome> done = new HashMap<>();
        List<PreparedRow> prepared = new ArrayList<>();
        RowPreparation preparation = new RowPreparation(job, region, latest, maxClockSkew);
        for (StagedRow row : rows) {
            try {
                prepared.add(preparation.prepare(row));
            } catch (RowPreparation.Refused e) {
                done.put(row.row(), RowOutcome.rejected(row, e.reason, e.getMessage()));
            }
        }
        List<PreparedRow> resolved = resolve(job.workspaceId(), prepared, done);
        applyInRuns(job, resolved, done);
        return rows.stream().map(row -> done.get(row.row())).toList();
    }

    /**
     * Finds each row's contact by its identifiers, creating or completing it where they do not all name one contact
     * yet, as the API does: {@link BulkRegistration#registerAll} for the whole chunk in a few set-based statements, as
     * one {@link Contacts#register} per row in file order would. Identifiers that name two contacts reject the row.
     * Should the chunk's registrations keep losing races with concurrent sign-ups, each row is registered on its own.
     */
    private List<PreparedRow> resolve(long workspaceId, List<PreparedRow> prepared, Map<Long, RowOutcome> done) {
        List<BulkRegistration.Registered> registered;
        try {
            registered = bulkRegistration.registerAll(
                    workspaceId, prepared.stream().map(PreparedRow::identifiers).toList());
        } catch (Conflict e) {
            registered = prepared.stream().map(p -> registerOne(workspaceId, p)).toList();
        }
        List<PreparedRow> resolved = new ArrayList<>(prepared.size());
        for (int i = 0; i < prepared.size(); i++) {
            PreparedRow p = prepared.get(i);
            BulkRegistration.Registered r = registered.get(i);
            if (r.contactId() == null) {
                done.put(p.row().row(), RowOutcome.rejected(p.row(), "identifier_conflict", r.conflict()));
                continue;
            }
            resolved.add(p.withContact(r.contactId()));
        }
        return resolved;
    }

    private BulkRegistration.Registered registerOne(long workspaceId, PreparedRow p) {
        try {
            // a savepoint of its own: a registration that fails must not doom the chunk's transaction
            long id = Objects.requireNonNull(
                    savepoint.execute(status -> contacts.register(workspaceId, p.identifiers(), Map.of())
                            .contact()
                            .id()));
            return new BulkRegistration.Registered(id, false, null);
        } catch (Conflict | InvalidInput e) {
            return new BulkRegistration.Registered(null, false, e.getMessage());
        }
    }

    /**
     * Applies the commands in file order, one batch per run of rows with the same IP and user agent (the ledger keeps
     * them per batch), at most {@link ConsentBatch#MAX_COMMANDS} at a time.
     */
    private void applyInRuns(ImportJob job, List<PreparedRow> prepared, Map<Long, RowOutcome> done) {
        int start = 0;
        while (start < prepared.size()) {
            StagedRow first = prepared.get(start).row();
            int end = start + 1;
            while (end < prepared.size()
                    && end - start < ConsentBatch.MAX_COMMANDS
                    && Objects.equals(prepared.get(end).row().ip(), first.ip())
                    && Objects.equals(prepared.get(end).row().userAgent(), first.userAgent())) {
                end++;
            }
            RequestContext context = new RequestContext(first.ip(), first.userAgent(), job.apiKeyId(), job.requestId());
            applyBatch(job.workspaceId(), context, new ArrayList<>(prepared.subList(start, end)), done);
            start = end;
        }
    }

    private void applyBatch(
            long workspaceId, RequestContext context, List<PreparedRow> batch, Map<Long, RowOutcome> done) {
        while (!batch.isEmpty()) {
            List<ConsentCommand> commands =
                    batch.stream().map(PreparedRow::command).toList();
            List<ChangeOutcome> outcomes;
            try {
                outcomes = savepoint.execute(status -> consent.apply(new ConsentBatch(workspaceId, context, commands)));
            } catch (InvalidInput e) {
                // a command the service refuses whole: reject its row, apply the others
                Matcher item = ITEM.matcher(e.field());
                int index = item.find() ? Integer.parseInt(item.group(1)) : -1;
                if (index < 0 || index >= batch.size()) {
                    batch.forEach(p ->
                            done.put(p.row().row(), RowOutcome.rejected(p.row(), "invalid_field", e.getMessage())));
                    return;
                }
                PreparedRow refused = batch.remove(index);
                done.put(refused.row().row(), RowOutcome.rejected(refused.row(), "invalid_field", e.getMessage()));
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                done.put(
                        batch.get(i).row().row(),
                        RowOutcome.of(
                                batch.get(i), Objects.requireNonNull(outcomes).get(i)));
            }
            return;
        }
    }
}

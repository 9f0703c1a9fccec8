package io.optledger.transfer;

import io.optledger.access.Workspaces;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
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
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one chunk of staged rows, inside the caller's transaction, through the one write path: each row becomes a
 * consent command for {@link ConsentService}, which decides it with the consent rules like any API call. Here only
 * what is not a consent decision happens: reading the row's identifiers and address (normalised as the API does),
 * finding or creating its contact by identifier ({@link Contacts#register}, as the dialects do), and grouping the
 * commands into batches. A dry run does it all the same, in a savepoint it rolls back.
 */
@Component
class ChunkApplier {

    private static final Pattern ITEM = Pattern.compile("items\\[(\\d+)]");

    private final ConsentService consent;
    private final Contacts contacts;
    private final Workspaces workspaces;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    private final Duration maxClockSkew;

    ChunkApplier(
            ConsentService consent,
            Contacts contacts,
            Workspaces workspaces,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${optledger.consent.max-clock-skew:5m}") Duration maxClockSkew) {
        this.consent = consent;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /** What one row did: an outcome name (created, changed, unchanged, stale, rejected) and what to show of it. */
    record RowOutcome(long row, String outcome, @Nullable String reason, Map<String, Object> sample) {}

    /** A row ready to apply, or the reason it cannot be. */
    private record Prepared(StagedRow row, List<Identifier> identifiers, ConsentCommand command) {}

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
        List<Prepared> prepared = new ArrayList<>();
        // a contact's rows repeat its identifiers: each distinct one is normalised once per chunk
        Map<String, Object> normalised = new HashMap<>();
        for (StagedRow row : rows) {
            try {
                prepared.add(prepare(job, row, region, latest, normalised));
            } catch (Refused e) {
                done.put(row.row(), rejected(row, e.reason, e.getMessage()));
            }
        }
        List<Prepared> resolved = resolve(job.workspaceId(), prepared, done);
        applyInRuns(job, resolved, done);
        return rows.stream().map(row -> done.get(row.row())).toList();
    }

    /** A row's reason not to be applied, found before it reaches the consent rules. */
    private static final class Refused extends RuntimeException {
        final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private Prepared prepare(
            ImportJob job, StagedRow row, String region, Instant latest, Map<String, Object> normalised) {
        List<Identifier> identifiers = new ArrayList<>();
        add(identifiers, Identifier.EMAIL, row.email(), region, "invalid_email", normalised);
        add(identifiers, Identifier.PHONE, row.phone(), region, "invalid_phone", normalised);
        add(identifiers, Identifier.EXTERNAL_ID, row.externalId(), region, "invalid_identifier", normalised);
        row.identifiers()
                .forEach((name, value) -> add(identifiers, name, value, region, "invalid_identifier", normalised));
        if (identifiers.isEmpty()) {
            throw new Refused("no_identifier", "the row names no email, phone, externalId or other identifier");
        }
        if (row.channel() == null) {
            throw new Refused("no_channel", "the row gives no channel, and no default.channel was given");
        }
        if (row.topic() == null) {
            throw new Refused("no_topic", "the row gives no topic, and no default.topic was given");
        }
        if (row.action() == null) {
            throw new Refused("no_status", "the row gives no status, and no default.status was given");
        }
        if (row.occurredAt().isAfter(latest)) {
            throw new Refused(
                    "occurred_in_future",
                    "occurredAt " + row.occurredAt() + " is ahead of the server's clock by more than " + maxClockSkew);
        }
        String address = address(row, identifiers, region);
        Map<String, String> details = new HashMap<>();
        details.put("importRow", Long.toString(row.row()));
        if (row.source() != null) {
            details.put("originalSource", clip(row.source(), Provenance.MAX_DETAIL));
        }
        Provenance provenance;
        try {
            provenance = new Provenance("import:" + job.id(), row.reason(), null, null, row.signUpUnit(), details);
        } catch (InvalidInput e) {
            throw new Refused("invalid_field", e.getMessage());
        }
        ConsentCommand command = new ConsentCommand(
                // resolved to an id below
                ContactRef.identifier(identifiers.getFirst()),
                row.channel(),
                address,
                row.topic(),
                row.action(),
                row.occurredAt(),
                row.suspendedUntil(),
                provenance,
                null,
                !job.notifyChanges());
        return new Prepared(row, identifiers, command);
    }

    /** Adds the identifier, normalised (or its refusal) from {@code normalised} if it was met before in the chunk. */
    private static void add(
            List<Identifier> to,
            String name,
            @Nullable String raw,
            String region,
            String reason,
            Map<String, Object> normalised) {
        if (raw == null) {
            return;
        }
        Object done = normalised.computeIfAbsent(name + '\u0000' + raw, key -> {
            try {
                return Identifier.normalised(name, raw, region);
            } catch (InvalidInput e) {
                return name + ": " + e.getMessage();
            }
        });
        if (done instanceof Identifier identifier) {
            to.add(identifier);
        } else {
            throw new Refused(reason, (String) done);
        }
    }

    /** The address given, else the row's own identifier for the channel (its email, its phone), else the contact's. */
    private static @Nullable String address(StagedRow row, List<Identifier> identifiers, String region) {
        if (row.address() != null) {
            try {
                return row.channel().normaliseAddress(row.address(), region);
            } catch (InvalidInput e) {
                throw new Refused("invalid_address", "address: " + e.getMessage());
            }
        }
        String own = row.channel().defaultIdentifier();
        return identifiers.stream()
                .filter(identifier -> identifier.name().equals(own))
                .map(Identifier::value)
                .findFirst()
                .orElse(null);
    }

    /**
     * Finds each row's contact by its identifiers, creating or completing it where they do not all name one contact
     * yet, as the API does: {@link Contacts#registerAll} for the whole chunk in a few set-based statements, as one
     * {@link Contacts#register} per row in file order would. Identifiers that name two contacts reject the row. Should
     * the chunk's registrations keep losing races with concurrent sign-ups, each row is registered on its own.
     */
    private List<Prepared> resolve(long workspaceId, List<Prepared> prepared, Map<Long, RowOutcome> done) {
        List<Contacts.Registered> registered;
        try {
            registered = contacts.registerAll(
                    workspaceId, prepared.stream().map(Prepared::identifiers).toList());
        } catch (Conflict e) {
            registered = prepared.stream().map(p -> registerOne(workspaceId, p)).toList();
        }
        List<Prepared> resolved = new ArrayList<>(prepared.size());
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            Contacts.Registered r = registered.get(i);
            if (r.contactId() == null) {
                done.put(p.row().row(), rejected(p.row(), "identifier_conflict", r.conflict()));
                continue;
            }
            long contactId = r.contactId();
            ConsentCommand c = p.command();
            resolved.add(new Prepared(
                    p.row(),
                    p.identifiers(),
                    new ConsentCommand(
                            ContactRef.id(contactId),
                            c.channel(),
                            c.address(),
                            c.topic(),
                            c.action(),
                            c.occurredAt(),
                            c.suspendedUntil(),
                            c.provenance(),
                            c.properties(),
                            c.quiet())));
        }
        return resolved;
    }

    private Contacts.Registered registerOne(long workspaceId, Prepared p) {
        try {
            // a savepoint of its own: a registration that fails must not doom the chunk's transaction
            long id = Objects.requireNonNull(
                    savepoint.execute(status -> contacts.register(workspaceId, p.identifiers(), Map.of())
                            .contact()
                            .id()));
            return new Contacts.Registered(id, false, null);
        } catch (Conflict | InvalidInput e) {
            return new Contacts.Registered(null, false, e.getMessage());
        }
    }

    /**
     * Applies the commands in file order, one batch per run of rows with the same IP and user agent (the ledger keeps
     * them per batch), at most {@link ConsentBatch#MAX_COMMANDS} at a time.
     */
    private void applyInRuns(ImportJob job, List<Prepared> prepared, Map<Long, RowOutcome> done) {
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
            long workspaceId, RequestContext context, List<Prepared> batch, Map<Long, RowOutcome> done) {
        while (!batch.isEmpty()) {
            List<ConsentCommand> commands =
                    batch.stream().map(Prepared::command).toList();
            List<ChangeOutcome> outcomes;
            try {
                outcomes = savepoint.execute(status -> consent.apply(new ConsentBatch(workspaceId, context, commands)));
            } catch (InvalidInput e) {
                // a command the service refuses whole: reject its row, apply the others
                Matcher item = ITEM.matcher(e.field());
                int index = item.find() ? Integer.parseInt(item.group(1)) : -1;
                if (index < 0 || index >= batch.size()) {
                    batch.forEach(p -> done.put(p.row().row(), rejected(p.row(), "invalid_field", e.getMessage())));
                    return;
                }
                Prepared refused = batch.remove(index);
                done.put(refused.row().row(), rejected(refused.row(), "invalid_field", e.getMessage()));
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                done.put(
                        batch.get(i).row().row(),
                        outcome(batch.get(i), Objects.requireNonNull(outcomes).get(i)));
            }
            return;
        }
    }

    private static RowOutcome outcome(Prepared p, ChangeOutcome outcome) {
        ConsentCommand c = p.command();
        Map<String, Object> sample = sample(p.row());
        sample.put("contactId", ((ContactRef.ById) c.contact()).id());
        return switch (outcome) {
            case ChangeOutcome.Created created -> {
                sample.put("address", created.subscription().address());
                sample.put("to", created.subscription().status().name());
                yield new RowOutcome(p.row().row(), "created", null, sample);
            }
            case ChangeOutcome.Changed changed -> {
                sample.put("address", changed.subscription().address());
                sample.put("from", changed.from().name());
                sample.put("to", changed.subscription().status().name());
                yield new RowOutcome(p.row().row(), "changed", null, sample);
            }
            case ChangeOutcome.Unchanged unchanged -> {
                sample.put("address", unchanged.subscription().address());
                sample.put("to", unchanged.subscription().status().name());
                yield new RowOutcome(p.row().row(), "unchanged", null, sample);
            }
            case ChangeOutcome.Stale stale -> {
                sample.put("address", stale.current().address());
                sample.put("current", stale.current().status().name());
                sample.put("currentSince", stale.current().occurredAt().toString());
                yield new RowOutcome(p.row().row(), "stale", null, sample);
            }
            case ChangeOutcome.Rejected rejected -> {
                sample.put("message", rejected.message());
                yield new RowOutcome(
                        p.row().row(), "rejected", rejected.reason().code(), sample);
            }
        };
    }

    private static RowOutcome rejected(StagedRow row, String reason, String message) {
        Map<String, Object> sample = sample(row);
        sample.put("message", message);
        return new RowOutcome(row.row(), "rejected", reason, sample);
    }

    private static Map<String, Object> sample(StagedRow row) {
        Map<String, Object> sample = new java.util.LinkedHashMap<>();
        sample.put("row", row.row());
        if (row.channel() != null) {
            sample.put("channel", row.channel().name());
        }
        if (row.topic() != null) {
            sample.put("topic", row.topic());
        }
        if (row.action() != null) {
            sample.put("action", row.action().name());
        }
        sample.put("occurredAt", row.occurredAt().toString());
        return sample;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}

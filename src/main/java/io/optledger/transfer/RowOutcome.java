package io.optledger.transfer;

import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ContactRef;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What one row did: an outcome name (created, changed, unchanged, stale, rejected) and what to show of it. */
record RowOutcome(long row, String outcome, @Nullable String reason, Map<String, Object> sample) {

    /** What the consent rules decided for a row, its command naming its contact by id. */
    static RowOutcome of(PreparedRow p, ChangeOutcome outcome) {
        Map<String, Object> sample = sample(p.row());
        sample.put("contactId", ((ContactRef.ById) p.command().contact()).id());
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

    /** A row rejected before or instead of the consent rules' decision. */
    static RowOutcome rejected(StagedRow row, String reason, String message) {
        Map<String, Object> sample = sample(row);
        sample.put("message", message);
        return new RowOutcome(row.row(), "rejected", reason, sample);
    }

    private static Map<String, Object> sample(StagedRow row) {
        Map<String, Object> sample = new LinkedHashMap<>();
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
}

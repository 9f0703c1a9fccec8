package io.optledger.transfer;

import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the staged rows of one chunk into consent commands: identifiers and address normalised as the API does, and
 * what keeps a row from the consent rules (no identifier, channel, topic or status, a time ahead of the clock) refused.
 */
final class RowPreparation {

    private final ImportJob job;
    private final String region;
    private final Instant latest;
    private final Duration maxClockSkew;
    // a contact's rows repeat its identifiers: each distinct one is normalised once per chunk
    private final Map<String, Object> normalised = new HashMap<>();

    RowPreparation(ImportJob job, String region, Instant latest, Duration maxClockSkew) {
        this.job = job;
        this.region = region;
        this.latest = latest;
        this.maxClockSkew = maxClockSkew;
    }

    /** A row's reason not to be applied, found before it reaches the consent rules. */
    static final class Refused extends RuntimeException {
        final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** The row ready to apply, its command naming its contact by the first identifier; {@link Refused} if it cannot. */
    PreparedRow prepare(StagedRow row) {
        List<Identifier> identifiers = new ArrayList<>();
        add(identifiers, Identifier.EMAIL, row.email(), "invalid_email");
        add(identifiers, Identifier.PHONE, row.phone(), "invalid_phone");
        add(identifiers, Identifier.EXTERNAL_ID, row.externalId(), "invalid_identifier");
        row.identifiers().forEach((name, value) -> add(identifiers, name, value, "invalid_identifier"));
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
        String address = address(row, identifiers);
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
                // resolved to an id by the applier
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
        return new PreparedRow(row, identifiers, command);
    }

    /** Adds the identifier, normalised (or its refusal) from {@code normalised} if it was met before in the chunk. */
    private void add(List<Identifier> to, String name, @Nullable String raw, String reason) {
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
    private @Nullable String address(StagedRow row, List<Identifier> identifiers) {
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

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}

package io.optledger.transfer;

import io.optledger.consent.Action;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of a file as staged: its fields typed (channel, action, times) but addresses and identifiers still as given,
 * since normalising them needs the workspace's region and rejecting them is a row's outcome, not the file's.
 *
 * @param row the row's number in the file: 1 for the first data row (after a CSV's header), counting records, not lines
 * @param contactKey what orders the rows (a contact's first identifier as given), so one contact's rows apply together
 */
public record StagedRow(
        long row,
        String contactKey,
        @Nullable String email,
        @Nullable String phone,
        @Nullable String externalId,
        Map<String, String> identifiers,
        @Nullable Channel channel,
        @Nullable String address,
        @Nullable String topic,
        @Nullable Action action,
        Instant occurredAt,
        @Nullable Instant suspendedUntil,
        @Nullable String source,
        @Nullable String reason,
        @Nullable String signUpUnit,
        @Nullable String ip,
        @Nullable String userAgent) {

    public StagedRow {
        identifiers = Map.copyOf(identifiers);
    }
}

package io.optledger.consent.ledger;

import io.optledger.consent.internal.JdbcCheckpoints.Unchecked;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The queued events one checkpoint takes, by contact: at most {@link LedgerCheckpoints#MAX_CONTACTS} contacts of the
 * events read (which the read bounds to {@link LedgerCheckpoints#MAX_EVENTS}), and whether more are queued.
 */
record CheckpointBatch(List<Queued> contacts, boolean more) {

    /**
     * One contact's queued events after those its entries cover: their hashes in seq order when they are exactly the
     * events {@code coveredSeq + 1} through {@code throughSeq}, else null (read them from the ledger instead).
     */
    record Queued(long contactId, long coveredSeq, long throughSeq, byte @Nullable [] hashes) {

        boolean complete() {
            return hashes != null;
        }
    }

    /**
     * One checkpoint's batch of the events read (at most {@code readLimit}, in contact and seq order): the contacts it
     * takes, each checked against through which seq {@code coverage} says the entries already cover it.
     */
    static CheckpointBatch of(
            List<Unchecked> rows, int readLimit, Function<Collection<Long>, Map<Long, Long>> coverage) {
        Map<Long, List<Unchecked>> byContact = new LinkedHashMap<>();
        int taken = 0;
        for (Unchecked row : rows) {
            if (!byContact.containsKey(row.contactId()) && byContact.size() == LedgerCheckpoints.MAX_CONTACTS) {
                break;
            }
            byContact.computeIfAbsent(row.contactId(), id -> new ArrayList<>()).add(row);
            taken++;
        }
        Map<Long, Long> covered = coverage.apply(byContact.keySet());
        List<Queued> contacts = new ArrayList<>(byContact.size());
        byContact.forEach(
                (contactId, events) -> contacts.add(queued(contactId, covered.getOrDefault(contactId, 0L), events)));
        return new CheckpointBatch(contacts, rows.size() == readLimit || taken < rows.size());
    }

    /** Through which seq each contact's queued events were read: what leaves the queue with the checkpoint. */
    Map<Long, Long> read() {
        Map<Long, Long> through = new LinkedHashMap<>();
        contacts.forEach(c -> through.put(c.contactId(), c.throughSeq()));
        return through;
    }

    private static Queued queued(long contactId, long covered, List<Unchecked> events) {
        long through = events.getLast().seq();
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        long expected = covered + 1;
        boolean exact = true;
        for (Unchecked event : events) {
            if (event.seq() <= covered) {
                // queued again after a checkpoint recorded it: never signed twice
                continue;
            }
            exact &= event.seq() == expected;
            expected = event.seq() + 1;
            hashes.writeBytes(event.hash());
        }
        return new Queued(contactId, covered, Math.max(covered, through), exact ? hashes.toByteArray() : null);
    }
}

package io.optledger.consent.ledger;

import io.optledger.consent.internal.JdbcCheckpoints.Unchecked;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The queued events by contact, in the order read, as far as one checkpoint takes them. */
    static Map<Long, List<Unchecked>> byContact(List<Unchecked> rows) {
        Map<Long, List<Unchecked>> byContact = new LinkedHashMap<>();
        for (Unchecked row : rows) {
            if (!byContact.containsKey(row.contactId()) && byContact.size() == LedgerCheckpoints.MAX_CONTACTS) {
                break;
            }
            byContact.computeIfAbsent(row.contactId(), id -> new ArrayList<>()).add(row);
        }
        return byContact;
    }

    /**
     * One checkpoint's batch from the events read (at most {@code readLimit}) grouped by {@link #byContact}, and
     * through which seq the entries cover each contact.
     */
    static CheckpointBatch of(Map<Long, List<Unchecked>> byContact, Map<Long, Long> covered, int read, int readLimit) {
        boolean more = read == readLimit
                || byContact.values().stream().mapToInt(List::size).sum() < read;
        List<Queued> contacts = new ArrayList<>(byContact.size());
        byContact.forEach(
                (contactId, events) -> contacts.add(queued(contactId, covered.getOrDefault(contactId, 0L), events)));
        return new CheckpointBatch(contacts, more);
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

package io.optledger.consent.ledger;

import io.optledger.consent.Subscription;
import io.optledger.consent.internal.JdbcCheckpoints;
import io.optledger.consent.internal.JdbcLedger;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.internal.JdbcSubscriptions;
import io.optledger.consent.ledger.Verification.Anchor;
import io.optledger.consent.ledger.Verification.Kind;
import io.optledger.consent.ledger.Verification.Mismatch;
import io.optledger.contact.Contacts;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads a contact's ledger and proves it: the hash chain, the chain head, the signed checkpoints that cover it and the
 * state it projects.
 */
@Service
public class ConsentLedger {

    private static final int VERIFY_PAGE = 1_000;

    private final JdbcLedger ledger;
    private final JdbcSubscriptions subscriptions;
    private final Contacts contacts;
    private final JdbcCheckpoints anchors;
    private final LedgerCheckpoints checkpoints;

    ConsentLedger(
            JdbcLedger ledger,
            JdbcSubscriptions subscriptions,
            Contacts contacts,
            JdbcCheckpoints anchors,
            LedgerCheckpoints checkpoints) {
        this.ledger = ledger;
        this.subscriptions = subscriptions;
        this.contacts = contacts;
        this.anchors = anchors;
        this.checkpoints = checkpoints;
    }

    /** Events after {@code afterSeq}, oldest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<ConsentEvent> events(long workspaceId, long contactId, long afterSeq, int limit) {
        contacts.get(workspaceId, contactId);
        return ledger.events(workspaceId, contactId, afterSeq, limit);
    }

    /** Events before {@code beforeSeq} (use {@link Long#MAX_VALUE} for the latest), newest first, at most {@code limit}. */
    @Transactional(readOnly = true)
    public List<ConsentEvent> eventsNewestFirst(long workspaceId, long contactId, long beforeSeq, int limit) {
        contacts.get(workspaceId, contactId);
        return ledger.eventsBefore(workspaceId, contactId, beforeSeq, limit);
    }

    /** Hands every event of the contact to {@code action}, oldest first, reading the ledger a page at a time. */
    @Transactional(readOnly = true)
    public void forEachEvent(long workspaceId, long contactId, Consumer<ConsentEvent> action) {
        contacts.get(workspaceId, contactId);
        long after = 0;
        List<ConsentEvent> page;
        do {
            page = ledger.events(workspaceId, contactId, after, VERIFY_PAGE);
            page.forEach(action);
            after = page.isEmpty() ? after : page.getLast().seq();
        } while (page.size() == VERIFY_PAGE);
    }

    /** The contact's commitment key (form 2), while it has one: none before its first event, none once erased. */
    @Transactional(readOnly = true)
    public Optional<byte[]> commitmentKey(long workspaceId, long contactId) {
        return ledger.commitmentKey(workspaceId, contactId);
    }

    /** A signed checkpoint with every one of its entries. */
    public record Anchored(Checkpoint checkpoint, List<CheckpointEntry> entries) {}

    /** The latest checkpoint that records events of the contact, with all its entries; none before the first. */
    @Transactional(readOnly = true)
    public Optional<Anchored> latestCheckpoint(long workspaceId, long contactId) {
        List<CheckpointEntry> anchored = anchors.entriesOf(workspaceId, contactId);
        if (anchored.isEmpty()) {
            return Optional.empty();
        }
        long number = anchored.getLast().number();
        return anchors.find(workspaceId, number).map(c -> new Anchored(c, anchors.allEntries(workspaceId, number)));
    }

    /**
     * Recomputes every hash of the contact's chain, checks the links and the chain head, compares every event a signed
     * checkpoint covers with the hash the checkpoint recorded for it (so a rewrite with every later hash recomputed
     * still shows, at the event it changed), proves the latest such checkpoint, then replays the events into the state
     * they imply and compares it with the stored state. Runs in one repeatable-read snapshot, so a concurrent change
     * cannot show as a mismatch.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Verification verify(long workspaceId, long contactId) {
        contacts.get(workspaceId, contactId);
        List<CheckpointEntry> anchored = anchors.entriesOf(workspaceId, contactId);
        Optional<Checkpoint> latest = anchored.isEmpty()
                ? Optional.empty()
                : anchors.find(workspaceId, anchored.getLast().number());
        Anchor anchor = latest.map(c -> new Anchor(
                        c.number(), c.createdAt(), c.keyId(), anchored.getLast().toSeq()))
                .orElse(null);
        byte[] key = ledger.commitmentKey(workspaceId, contactId).orElse(null);
        LedgerReplay replay = new LedgerReplay();
        String prev = LedgerHash.GENESIS;
        long expectedSeq = 1;
        long checked = 0;
        int entry = 0;
        List<ConsentEvent> page;
        do {
            page = ledger.events(workspaceId, contactId, expectedSeq - 1, VERIFY_PAGE);
            for (ConsentEvent event : page) {
                Mismatch mismatch = check(event, expectedSeq, prev, key);
                while (entry < anchored.size() && anchored.get(entry).toSeq() < event.seq()) {
                    entry++;
                }
                if (mismatch == null
                        && entry < anchored.size()
                        && anchored.get(entry).covers(event.seq())) {
                    mismatch = compare(workspaceId, anchored.get(entry), event);
                }
                if (mismatch != null) {
                    return new Verification(contactId, false, checked, mismatch, anchor);
                }
                replay.apply(event);
                prev = event.hash();
                expectedSeq++;
                checked++;
            }
        } while (page.size() == VERIFY_PAGE);

        ChainHead head = ledger.head(workspaceId, contactId);
        if (head.seq() != checked || !head.hash().equals(prev)) {
            return new Verification(
                    contactId,
                    false,
                    checked,
                    new Mismatch(
                            Kind.HEAD_MISMATCH,
                            null,
                            "the contact's chain head is seq " + head.seq() + " but the ledger ends at seq " + checked),
                    anchor);
        }
        if (anchor != null && anchor.throughSeq() > checked) {
            return new Verification(
                    contactId,
                    false,
                    checked,
                    new Mismatch(
                            Kind.CHECKPOINT_MISMATCH,
                            checked + 1,
                            "checkpoint " + anchor.number() + " recorded events through seq " + anchor.throughSeq()
                                    + " but the ledger ends at seq " + checked),
                    anchor);
        }
        if (!anchored.isEmpty()) {
            Optional<String> broken = latest.isEmpty()
                    ? Optional.of("it is missing from the log")
                    : checkpoints.authenticate(latest.get());
            if (broken.isPresent()) {
                return new Verification(
                        contactId,
                        false,
                        checked,
                        new Mismatch(
                                Kind.CHECKPOINT_INVALID,
                                null,
                                "checkpoint " + anchored.getLast().number() + " does not prove itself: "
                                        + broken.get()),
                        anchor);
            }
        }
        Mismatch state = compareState(replay.states(), subscriptions.findOfContacts(workspaceId, List.of(contactId)));
        return new Verification(contactId, state == null, checked, state, anchor);
    }

    /**
     * An event whose hash is not the one its checkpoint recorded: blamed on the ledger when the checkpoint proves
     * itself, on the checkpoint log when it does not.
     */
    private @Nullable Mismatch compare(long workspaceId, CheckpointEntry entry, ConsentEvent event) {
        String recorded = entry.hashAt(event.seq());
        if (recorded.equals(event.hash())) {
            return null;
        }
        Checkpoint checkpoint = anchors.find(workspaceId, entry.number()).orElse(null);
        Optional<String> broken =
                checkpoint == null ? Optional.of("it is missing from the log") : checkpoints.authenticate(checkpoint);
        if (broken.isPresent()) {
            return new Mismatch(
                    Kind.CHECKPOINT_INVALID,
                    event.seq(),
                    "checkpoint " + entry.number() + ", which covers this event, does not prove itself: "
                            + broken.get());
        }
        return new Mismatch(
                Kind.CHECKPOINT_MISMATCH,
                event.seq(),
                "checkpoint " + entry.number() + " (signed " + checkpoint.createdAt() + " with key "
                        + checkpoint.keyId() + ") recorded hash " + recorded + " for this event, which now hashes to "
                        + event.hash() + ": it was rewritten and the hashes after it recomputed");
    }

    /**
     * The checks of one event alone and its link. A form 1 event that was erased can no longer be recomputed (its
     * plaintext was its hash input): its stored hash stands, held by the link of the event after it and by the
     * checkpoint that recorded it. A form 2 event's personal fields must open its commitments while the key exists.
     */
    static @Nullable Mismatch check(ConsentEvent event, long expectedSeq, String prev, byte @Nullable [] key) {
        if (event.seq() != expectedSeq) {
            return new Mismatch(Kind.SEQUENCE_GAP, event.seq(), "expected seq " + expectedSeq);
        }
        if (!event.prevHash().equals(prev)) {
            return new Mismatch(Kind.BROKEN_LINK, event.seq(), "prevHash is not the hash of the event before");
        }
        if (event.form() == 1 && event.erased()) {
            return null;
        }
        String recomputed = LedgerHash.of(event);
        if (!recomputed.equals(event.hash())) {
            return new Mismatch(Kind.HASH_MISMATCH, event.seq(), "content hashes to " + recomputed);
        }
        if (event.form() == 2 && !event.erased()) {
            if (key == null && !LedgerHash.personal(event).isEmpty()) {
                return new Mismatch(
                        Kind.HASH_MISMATCH, event.seq(), "the contact's commitment key is missing, yet not erased");
            }
            String field = key == null ? null : LedgerHash.unopened(key, event);
            if (field != null) {
                return new Mismatch(Kind.HASH_MISMATCH, event.seq(), field + " does not open its commitment (edited)");
            }
        }
        return null;
    }

    private static @Nullable Mismatch compareState(
            Map<LedgerReplay.Key, LedgerReplay.State> projected, List<Subscription> stored) {
        Set<LedgerReplay.Key> seen = new HashSet<>();
        for (Subscription s : stored) {
            seen.add(LedgerReplay.Key.of(s));
            LedgerReplay.State p = projected.get(LedgerReplay.Key.of(s));
            LedgerReplay.State actual = LedgerReplay.State.of(s);
            if (!actual.equals(p)) {
                return new Mismatch(
                        Kind.STATE_MISMATCH,
                        null,
                        s.key() + " is " + actual + " but the ledger says " + (p == null ? "no state" : p));
            }
        }
        for (LedgerReplay.Key key : projected.keySet()) {
            if (!seen.contains(key)) {
                return new Mismatch(Kind.STATE_MISMATCH, null, key + " is missing from the current state");
            }
        }
        return null;
    }
}

package io.optledger.proof;

import io.optledger.consent.LedgerErasure;
import io.optledger.consent.RequestContext;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import io.optledger.platform.Timestamps;
import io.optledger.proof.internal.JdbcErasure;
import io.optledger.proof.internal.JdbcErasure.Held;
import io.optledger.suppression.Tombstones;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases a contact (GDPR Art. 17): the one way to, for the native API and any dialect that offers it. See
 * docs/erasure.md for what goes, what stays and why.
 */
@Service
public class ContactErasure {

    private final JdbcErasure erasure;
    private final LedgerErasure ledger;
    private final Tombstones tombstones;
    private final Invalidations invalidations;
    private final Clock clock;

    ContactErasure(
            JdbcErasure erasure,
            LedgerErasure ledger,
            Tombstones tombstones,
            Invalidations invalidations,
            Clock clock) {
        this.erasure = erasure;
        this.ledger = ledger;
        this.tombstones = tombstones;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    /**
     * Erases the contact in one transaction: its identifiers, attributes and subscriptions, the personal fields of its
     * ledger events (and of workspace events about it or its addresses), its messages, outbox rows, webhook
     * deliveries, pending confirmations, keyword stops, suppressions and stored idempotent answers; leaves a tombstone
     * per address it held alone, appends {@code ERASE} to its chain and queues a {@code contact.erased} event.
     * Idempotent: erasing an erased contact changes nothing and answers the first erasure.
     *
     * @throws NotFound when the workspace has no such contact
     */
    @Transactional
    public Erasure erase(long workspaceId, long contactId, RequestContext request) {
        JdbcErasure.Locked locked =
                erasure.lock(workspaceId, contactId).orElseThrow(() -> new NotFound("no contact " + contactId));
        if (locked.erasedAt() != null) {
            return new Erasure(
                    contactId,
                    locked.erasedAt(),
                    locked.ledgerSeq(),
                    erasure.erasedEvents(workspaceId, contactId),
                    0,
                    true);
        }
        Instant now = Timestamps.micros(clock.instant());
        List<Held> held = erasure.held(workspaceId, contactId);
        erasure.clear(workspaceId, contactId, held);
        invalidations.scrub(
                workspaceId,
                held.stream()
                        .map(h -> Invalidation.address(workspaceId, h.channel().name(), h.address()))
                        .toList());
        ConsentEvent erased = ledger.erase(workspaceId, contactId, request, now);
        erasure.forgetContact(workspaceId, contactId, now);
        for (Held h : held) {
            tombstones.add(workspaceId, h.channel(), h.address(), now);
        }
        return new Erasure(
                contactId, now, erased.seq(), erasure.erasedEvents(workspaceId, contactId), held.size(), false);
    }
}

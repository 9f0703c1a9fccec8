package io.optledger.consent;

import io.optledger.consent.internal.JdbcConsentBatch;
import io.optledger.consent.internal.JdbcConsentWrite;
import io.optledger.consent.internal.JdbcLedger;
import io.optledger.consent.internal.JdbcLedger.ChainHead;
import io.optledger.consent.internal.JdbcSubscriptions;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The consent module's part of erasing a contact (docs/erasure.md): the personal fields of its ledger events nulled
 * and its commitment key destroyed, its subscriptions removed, and the erasure appended to its chain as the event
 * {@link Action#ERASE}, with a {@code contact.erased} outbox event that names no address.
 */
@Service
public class LedgerErasure {

    /** The outbox event type of an erasure, and its webhook and Kafka event type. */
    public static final String ERASED_EVENT = "contact.erased";

    static final String SOURCE = "erasure";

    private final JdbcConsentBatch store;
    private final JdbcConsentWrite writer;
    private final JdbcLedger ledger;
    private final JdbcSubscriptions subscriptions;
    private final Invalidations invalidations;

    LedgerErasure(
            JdbcConsentBatch store,
            JdbcConsentWrite writer,
            JdbcLedger ledger,
            JdbcSubscriptions subscriptions,
            Invalidations invalidations) {
        this.store = store;
        this.writer = writer;
        this.ledger = ledger;
        this.subscriptions = subscriptions;
        this.invalidations = invalidations;
    }

    /**
     * Erases the contact's ledger and state, in the caller's transaction, and answers the erasure's event. The
     * contact must exist and not be erased yet. The event records the request's API key and request id, but not its IP
     * or user agent (nothing personal is written to an erased chain).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ConsentEvent erase(long workspaceId, long contactId, RequestContext request, Instant now) {
        ChainHead head =
                store.lock(workspaceId, List.of(contactId), List.of()).heads().get(contactId);
        if (head == null) {
            throw new NotFound("no contact " + contactId);
        }
        ledger.erasePersonalData(workspaceId, contactId);
        RequestContext context = new RequestContext(null, null, request.apiKeyId(), request.requestId());
        ConsentEvent unhashed = new ConsentEvent(
                workspaceId,
                contactId,
                head.seq() + 1,
                null,
                null,
                null,
                Action.ERASE,
                EventOutcome.CHANGED,
                null,
                null,
                null,
                null,
                now,
                now,
                SOURCE,
                null,
                null,
                null,
                null,
                null,
                null,
                context.apiKeyId(),
                context.requestId(),
                Map.of(),
                head.hash(),
                "",
                LedgerHash.CURRENT_FORM,
                Map.of(),
                null);
        ConsentEvent event = unhashed.withHash(LedgerHash.of(unhashed));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", ERASED_EVENT);
        payload.put("workspaceId", workspaceId);
        payload.put("contactId", contactId);
        payload.put("eventSeq", event.seq());
        payload.put("action", Action.ERASE.name());
        payload.put("occurredAt", now.toString());
        payload.put("recordedAt", now.toString());
        payload.put("source", SOURCE);
        payload.put("eventHash", event.hash());
        subscriptions.deleteOfContact(workspaceId, contactId);
        writer.write(
                workspaceId,
                new JdbcConsentWrite.Writes(
                        List.of(event),
                        Map.of(contactId, new ChainHead(event.seq(), event.hash())),
                        List.of(),
                        List.of(Map.entry(contactId, payload)),
                        ERASED_EVENT,
                        invalidations.prepare(List.of(Invalidation.allAddresses(workspaceId)))),
                now);
        ledger.forgetKey(workspaceId, contactId);
        return event;
    }
}

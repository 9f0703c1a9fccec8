package io.optledger.audit;

import io.optledger.audit.internal.JdbcWorkspaceEvents;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to and verifies a workspace's ledger. An append joins the caller's transaction (it refuses to run without
 * one), so the event commits with the change it records or not at all.
 */
@Service
public class WorkspaceLedger {

    private static final int PAGE = 1_000;

    private final JdbcWorkspaceEvents events;
    private final Clock clock;
    private final JsonMapper json;

    WorkspaceLedger(JdbcWorkspaceEvents events, Clock clock, JsonMapper json) {
        this.events = events;
        this.clock = clock;
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public WorkspaceEvent append(
            long workspaceId,
            WorkspaceEventKind kind,
            String subject,
            @Nullable String before,
            @Nullable String after,
            Actor actor) {
        JdbcWorkspaceEvents.Head head = events.lockHead(workspaceId);
        WorkspaceEvent unhashed = new WorkspaceEvent(
                workspaceId,
                head.seq() + 1,
                kind,
                subject,
                before,
                after,
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                actor.source(),
                actor.reason(),
                actor.apiKeyId(),
                actor.requestId(),
                actor.ip(),
                actor.userAgent(),
                head.hash(),
                "",
                null);
        WorkspaceEvent event = withHash(unhashed, WorkspaceLedgerHash.of(unhashed));
        events.append(event);
        String streamType = kind.streamType();
        if (streamType != null) {
            events.enqueue(event, streamType, streamPayload(event));
        }
        return event;
    }

    /**
     * What the change stream carries of a workspace event: no API key id, request id, IP or user agent, which stay on
     * the ledger (docs/webhooks.md, "Events").
     */
    private String streamPayload(WorkspaceEvent e) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("workspaceId", e.workspaceId());
        payload.put("kind", e.kind().name());
        payload.put("subject", e.subject());
        payload.put("before", e.before());
        payload.put("after", e.after());
        payload.put("recordedAt", e.recordedAt().toString());
        payload.put("source", e.source());
        payload.put("reason", e.reason());
        payload.put("workspaceSeq", e.seq());
        payload.put("workspaceHash", e.hash());
        return json.writeValueAsString(payload);
    }

    /** Events after {@code afterSeq}, oldest first. */
    public List<WorkspaceEvent> events(long workspaceId, long afterSeq, int limit) {
        return events.page(workspaceId, afterSeq, limit);
    }

    /** Recomputes the chain from its first event and checks that it ends at the recorded head. */
    public WorkspaceVerification verify(long workspaceId) {
        String prev = WorkspaceLedgerHash.GENESIS;
        long expected = 1;
        long checked = 0;
        List<WorkspaceEvent> page;
        long after = 0;
        do {
            page = events.page(workspaceId, after, PAGE);
            for (WorkspaceEvent e : page) {
                String problem = e.seq() != expected
                        ? "seq " + e.seq() + " where " + expected + " was expected (an event is missing)"
                        : !e.prevHash().equals(prev)
                                ? "prevHash does not match the previous event's hash"
                                // an erased event's content is gone: its hash stands, held by the link after it
                                : e.erasedAt() == null && !e.hash().equals(WorkspaceLedgerHash.of(e))
                                        ? "hash does not match the event's canonical form"
                                        : null;
                if (problem != null) {
                    return invalid(workspaceId, checked, e.seq(), problem);
                }
                prev = e.hash();
                expected++;
                checked++;
                after = e.seq();
            }
        } while (page.size() == PAGE);
        JdbcWorkspaceEvents.Head head = events.head(workspaceId);
        if (head.seq() != checked || !Objects.equals(head.hash(), prev)) {
            return invalid(
                    workspaceId,
                    checked,
                    head.seq(),
                    "the chain ends at seq " + checked + ", its head says " + head.seq());
        }
        return new WorkspaceVerification(workspaceId, true, checked, null);
    }

    private static WorkspaceVerification invalid(long workspaceId, long checked, long seq, String detail) {
        return new WorkspaceVerification(workspaceId, false, checked, new WorkspaceVerification.Mismatch(seq, detail));
    }

    private static WorkspaceEvent withHash(WorkspaceEvent e, String hash) {
        return new WorkspaceEvent(
                e.workspaceId(),
                e.seq(),
                e.kind(),
                e.subject(),
                e.before(),
                e.after(),
                e.recordedAt(),
                e.source(),
                e.reason(),
                e.apiKeyId(),
                e.requestId(),
                e.ip(),
                e.userAgent(),
                e.prevHash(),
                hash,
                e.erasedAt());
    }
}

package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.api.SubscriptionPayloads.ChangeItem;
import io.optledger.api.SubscriptionPayloads.ChangeRequest;
import io.optledger.api.SubscriptionPayloads.ChangeResponse;
import io.optledger.api.SubscriptionPayloads.ChangeResult;
import io.optledger.api.SubscriptionPayloads.ChangeSummary;
import io.optledger.consent.Action;
import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.GroupCommit;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.idempotency.Claim;
import io.optledger.idempotency.IdempotencyKeys;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Subscriptions")
class SubscriptionChangesController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String DEFAULT_SOURCE = "api";

    private final GroupCommit writes;
    private final Workspaces workspaces;
    private final IdempotencyKeys idempotencyKeys;
    private final JsonMapper json;

    SubscriptionChangesController(
            GroupCommit writes, Workspaces workspaces, IdempotencyKeys idempotencyKeys, JsonMapper json) {
        this.writes = writes;
        this.workspaces = workspaces;
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
    }

    @PostMapping("/v1/subscriptions/changes")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Apply up to 1,000 subscription changes in one transaction, with an outcome per item",
            description = "Outcomes: created, changed, unchanged, stale (older than the current state: recorded, state"
                    + " kept; a withdrawal received now is never stale against a state dated ahead of the clock) or"
                    + " rejected with a reason. occurredAt is RFC 3339 text from 1970-01-01T00:00:00Z to the server's"
                    + " clock plus the allowed skew (5 minutes by default), suspendedUntil up to"
                    + " 9999-12-31T23:59:59.999999Z; both are kept to the microsecond. Input that can never be valid"
                    + " rejects the whole request with a 400 and writes nothing. An item naming its contact by email or"
                    + " phone that no contact has creates the contact in the same transaction (a sign-up in one call),"
                    + " unless the request says \"createContacts\": false; then, like an unknown contactId,"
                    + " externalId or identifier, it is rejected as contact_not_found. With an Idempotency-Key, a retry with"
                    + " the same body replays the first response; another body is a 422; a retry while the first is in"
                    + " flight is a 409.")
    ResponseEntity<?> apply(
            Caller caller,
            HttpServletRequest http,
            @Parameter(description = "makes retries safe; kept for 24 hours")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    @Nullable
                    String idempotencyKey,
            @Valid @RequestBody ChangeRequest request) {
        ConsentBatch batch = new ConsentBatch(
                caller.workspaceId(),
                RequestContext.of(http, caller.keyId()),
                commands(caller.workspaceId(), request),
                request.createsContacts());
        if (idempotencyKey == null) {
            return ResponseEntity.ok(writes.apply(batch, SubscriptionChangesController::respond));
        }
        Claim claim = idempotencyKeys.claim(caller.workspaceId(), idempotencyKey, json.writeValueAsBytes(request));
        return switch (claim) {
            case Claim.Replay replay ->
                ResponseEntity.status(replay.status())
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotent-Replayed", "true")
                        .body(replay.body());
            case Claim.Mismatch mismatch ->
                ApiProblems.Kind.IDEMPOTENCY_KEY_REUSED.response(
                        "this Idempotency-Key was used with a different request body");
            case Claim.InFlight inFlight ->
                ApiProblems.Kind.IDEMPOTENCY_KEY_IN_FLIGHT.response(
                        "a request with this Idempotency-Key is still being processed; retry later");
            case Claim.Fresh fresh -> {
                try {
                    // the response is stored in the transaction of the change it answers: both commit or neither
                    yield ResponseEntity.ok(writes.apply(batch, outcomes -> {
                        ChangeResponse response = respond(outcomes);
                        idempotencyKeys.complete(
                                caller.workspaceId(), idempotencyKey, fresh, 200, json.writeValueAsString(response));
                        return response;
                    }));
                } catch (RuntimeException e) {
                    idempotencyKeys.release(caller.workspaceId(), idempotencyKey, fresh);
                    throw e;
                }
            }
        };
    }

    private static ChangeResponse respond(List<ChangeOutcome> outcomes) {
        List<ChangeResult> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(ChangeResult.of(i, outcomes.get(i)));
        }
        return new ChangeResponse(ChangeSummary.of(results), results);
    }

    private List<ConsentCommand> commands(long workspaceId, ChangeRequest request) {
        String region = workspaces.defaultRegion(workspaceId);
        List<ConsentCommand> commands = new ArrayList<>(request.items().size());
        for (int i = 0; i < request.items().size(); i++) {
            ChangeItem item = request.items().get(i);
            if (item.action() == Action.ERASE) {
                throw new InvalidInput(
                        "items[" + i + "].action",
                        "ERASE is not a change a caller asks for: erase the contact (POST /v1/contacts/{id}/erase)");
            }
            if (item.action() == Action.DETACH) {
                throw new InvalidInput(
                        "items[" + i + "].action",
                        "DETACH is not a change a caller asks for: detach the identifier"
                                + " (DELETE /v1/contacts/{id}/identifiers/{kind}/{value})");
            }
            try {
                commands.add(new ConsentCommand(
                        item.contact(region),
                        item.channel(),
                        item.address(),
                        item.topic(),
                        item.action(),
                        item.occurredAt(),
                        item.suspendedUntil(),
                        new Provenance(
                                item.source() == null ? DEFAULT_SOURCE : item.source(),
                                item.reason(),
                                item.campaignId(),
                                item.communicationId(),
                                null,
                                Map.of())));
            } catch (InvalidInput e) {
                throw e.at("items[" + i + "]");
            }
        }
        return commands;
    }
}

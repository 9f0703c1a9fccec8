package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.api.LedgerPayloads.CheckpointEntryPage;
import io.optledger.api.LedgerPayloads.CheckpointEntryView;
import io.optledger.api.LedgerPayloads.CheckpointPage;
import io.optledger.api.LedgerPayloads.CheckpointView;
import io.optledger.api.LedgerPayloads.PublicKeySet;
import io.optledger.api.LedgerPayloads.PublicKeyView;
import io.optledger.audit.WorkspaceEvent;
import io.optledger.audit.WorkspaceLedger;
import io.optledger.audit.WorkspaceVerification;
import io.optledger.consent.ledger.Checkpoint;
import io.optledger.consent.ledger.CheckpointEntry;
import io.optledger.consent.ledger.LedgerCheckpoints;
import io.optledger.platform.NotFound;
import io.optledger.platform.SigningKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The signed checkpoint log of a workspace's ledger, and the public keys that check it. */
@RestController
@Tag(name = "Ledger")
class LedgerController {

    private final LedgerCheckpoints checkpoints;
    private final SigningKeys keys;
    private final WorkspaceLedger workspaceLedger;

    LedgerController(LedgerCheckpoints checkpoints, SigningKeys keys, WorkspaceLedger workspaceLedger) {
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.workspaceLedger = workspaceLedger;
    }

    /** Public, unauthenticated: the keys hold no secret, and an auditor must reach them without one. */
    @GetMapping("/.well-known/optledger/keys")
    @SecurityRequirements // none: public
    @Operation(summary = "The ledger signing keys of every workspace, as a JWK set (no credentials needed)")
    ResponseEntity<PublicKeySet> publicKeys() {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        List<PublicKeyView> all = keys.all().stream()
                .map(k -> new PublicKeyView(
                        "OKP",
                        "Ed25519",
                        "EdDSA",
                        "sig",
                        k.keyId(),
                        base64url.encodeToString(k.x()),
                        k.workspaceId(),
                        k.active()))
                .toList();
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
                .body(new PublicKeySet(all));
    }

    @GetMapping("/v1/ledger/checkpoints")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "The workspace's signed ledger checkpoints, oldest first; page with after",
            description = "Each is signed with the workspace's Ed25519 key (see /.well-known/optledger/keys): the"
                    + " signature covers the text in signed, which an auditor rebuilds from the other fields.")
    CheckpointPage list(
            Caller caller,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<Checkpoint> page = checkpoints.checkpoints(caller.workspaceId(), after, limit);
        Long next = page.size() == limit ? page.getLast().number() : null;
        return new CheckpointPage(page.stream().map(CheckpointView::of).toList(), next);
    }

    @GetMapping("/v1/ledger/checkpoints/{number}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    CheckpointView get(Caller caller, @PathVariable long number) {
        return checkpoints
                .checkpoint(caller.workspaceId(), number)
                .map(CheckpointView::of)
                .orElseThrow(() -> new NotFound("no checkpoint " + number));
    }

    @GetMapping("/v1/ledger/checkpoints/{number}/entries")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary =
                    "A checkpoint's entries in contact order, to recompute its entries digest; page with afterContact")
    CheckpointEntryPage entries(
            Caller caller,
            @PathVariable long number,
            @RequestParam(defaultValue = "0") @Min(0) long afterContact,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(10000) int limit) {
        if (checkpoints.checkpoint(caller.workspaceId(), number).isEmpty()) {
            throw new NotFound("no checkpoint " + number);
        }
        List<CheckpointEntry> page = checkpoints.entries(caller.workspaceId(), number, afterContact, limit);
        Long next = page.size() == limit ? page.getLast().contactId() : null;
        return new CheckpointEntryPage(
                number, page.stream().map(CheckpointEntryView::of).toList(), next);
    }

    @GetMapping("/v1/ledger/workspace-events")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "The workspace ledger, oldest first: suppressions added, changed and lifted, topics created and"
                    + " their policy changed; page with afterSeq",
            description = "One SHA-256 hash chain per workspace over the canonical form in docs/ledger.md, written in"
                    + " the same transaction as the change it records.")
    WorkspaceEventPage workspaceEvents(
            Caller caller,
            @RequestParam(defaultValue = "0") @Min(0) long afterSeq,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<WorkspaceEvent> page = workspaceLedger.events(caller.workspaceId(), afterSeq, limit);
        Long next = page.size() == limit ? page.getLast().seq() : null;
        return new WorkspaceEventPage(page, next);
    }

    @GetMapping("/v1/ledger/workspace-events/verify")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "Recompute the workspace ledger's hash chain; reports the first event found wrong")
    WorkspaceVerification verifyWorkspaceEvents(Caller caller) {
        return workspaceLedger.verify(caller.workspaceId());
    }

    public record WorkspaceEventPage(
            List<WorkspaceEvent> events, @Nullable Long nextAfterSeq) {}
}

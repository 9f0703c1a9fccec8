package io.optledger.api;

import io.optledger.access.AccessDenied;
import io.optledger.access.ApiKeys;
import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.api.WorkspacePayloads.CreateKey;
import io.optledger.api.WorkspacePayloads.KeyIssued;
import io.optledger.api.WorkspacePayloads.KeyList;
import io.optledger.api.WorkspacePayloads.KeyView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "API keys")
class ApiKeysController {

    private final ApiKeys apiKeys;

    ApiKeysController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @PostMapping("/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Issue a key for this workspace; the secret is in the response once and never again")
    KeyIssued issue(Caller caller, @Valid @RequestBody CreateKey request) {
        if (request.scopes().contains(Scope.SYSTEM) && !caller.may(Scope.SYSTEM)) {
            // only a system key may hand out system power
            throw AccessDenied.missingScope(Scope.SYSTEM);
        }
        return KeyIssued.of(apiKeys.issue(caller.workspaceId(), request.name().strip(), request.scopes()));
    }

    @GetMapping("/v1/api-keys")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "List this workspace's keys, revoked ones included, without secrets")
    KeyList list(Caller caller) {
        return new KeyList(
                apiKeys.list(caller.workspaceId()).stream().map(KeyView::of).toList());
    }

    @DeleteMapping("/v1/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Revoke a key; it stops working at once on this node and within a second on others")
    void revoke(Caller caller, @PathVariable String id) {
        apiKeys.revoke(caller.workspaceId(), id);
    }
}

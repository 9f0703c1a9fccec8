package io.optledger.api;

import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.api.WorkspacePayloads.CreateWorkspace;
import io.optledger.api.WorkspacePayloads.WorkspaceCreated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workspaces")
class WorkspacesController {

    private final Workspaces workspaces;

    WorkspacesController(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    @PostMapping("/v1/workspaces")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.SYSTEM)
    @Operation(summary = "Create a workspace with its default topics and a first admin key (shown once)")
    WorkspaceCreated create(@Valid @RequestBody CreateWorkspace request) {
        Workspaces.CreatedWorkspace created =
                workspaces.create(request.name(), request.defaultRegion() == null ? "US" : request.defaultRegion());
        return WorkspaceCreated.of(created.workspace(), created.adminKey());
    }
}

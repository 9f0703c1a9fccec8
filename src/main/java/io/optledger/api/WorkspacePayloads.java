package io.optledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.access.ApiKey;
import io.optledger.access.IssuedApiKey;
import io.optledger.access.Scope;
import io.optledger.access.Workspace;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for workspaces and their API keys. */
public final class WorkspacePayloads {

    private WorkspacePayloads() {}

    public record CreateWorkspace(
            @NotBlank @Size(max = 200) String name,
            @Nullable String defaultRegion) {}

    public record WorkspaceCreated(long id, String name, String defaultRegion, Instant createdAt, KeyIssued adminKey) {
        static WorkspaceCreated of(Workspace workspace, IssuedApiKey key) {
            return new WorkspaceCreated(
                    workspace.id(),
                    workspace.name(),
                    workspace.defaultRegion(),
                    workspace.createdAt(),
                    KeyIssued.of(key));
        }
    }

    public record CreateKey(
            @NotBlank @Size(max = 200) String name,
            @NotEmpty Set<Scope> scopes) {}

    /** A new key; {@code key} is the secret, shown this once. */
    public record KeyIssued(String id, String name, Set<Scope> scopes, Instant createdAt, String key) {
        static KeyIssued of(IssuedApiKey issued) {
            ApiKey key = issued.key();
            return new KeyIssued(key.id(), key.name(), key.scopes(), key.createdAt(), issued.secret());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String id,
            String name,
            Set<Scope> scopes,
            Instant createdAt,
            @Nullable Instant revokedAt) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), key.scopes(), key.createdAt(), key.revokedAt());
        }
    }

    public record KeyList(List<KeyView> keys) {}
}

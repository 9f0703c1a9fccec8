package io.optledger.access;

import java.util.Set;

/** The authenticated party of a request: the workspace it acts in and the key it used. */
public record Caller(long workspaceId, String keyId, Set<Scope> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean may(Scope required) {
        return required.isGrantedBy(scopes);
    }
}

package io.optledger.console;

import java.time.Instant;

/**
 * A signed-in operator, held in this node's memory only: the id its cookie carries, the API key it signed in with
 * (checked again on every request, so a revoked key ends the session), and the token its forms must return.
 */
record ConsoleSession(String id, String apiKey, long workspaceId, String keyId, String csrfToken, Instant createdAt) {

    @Override
    public String toString() {
        // never the key or the tokens, should a session ever reach a log line
        return "ConsoleSession[workspaceId=" + workspaceId + ", keyId=" + keyId + "]";
    }
}

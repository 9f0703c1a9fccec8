package io.optledger.consent;

import io.optledger.platform.InvalidInput;
import java.util.List;

/** Commands applied together, all or nothing, in one transaction. */
public record ConsentBatch(long workspaceId, RequestContext context, List<ConsentCommand> commands) {

    public static final int MAX_COMMANDS = 1_000;

    public ConsentBatch {
        if (commands.isEmpty() || commands.size() > MAX_COMMANDS) {
            throw new InvalidInput("items", "a batch holds 1 to " + MAX_COMMANDS + " changes, not " + commands.size());
        }
        commands = List.copyOf(commands);
    }
}

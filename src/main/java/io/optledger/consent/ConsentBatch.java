package io.optledger.consent;

import io.optledger.platform.InvalidInput;
import java.util.List;

/**
 * Commands applied together, all or nothing, in one transaction.
 *
 * @param createContacts true to create, in the batch's transaction, a contact for each email or phone a command names
 *     that no contact has (a sign-up in one call); false to reject such a command as {@code contact_not_found}
 */
public record ConsentBatch(
        long workspaceId, RequestContext context, List<ConsentCommand> commands, boolean createContacts) {

    public static final int MAX_COMMANDS = 1_000;

    public ConsentBatch {
        if (commands.isEmpty() || commands.size() > MAX_COMMANDS) {
            throw new InvalidInput("items", "a batch holds 1 to " + MAX_COMMANDS + " changes, not " + commands.size());
        }
        commands = List.copyOf(commands);
    }

    /** A batch that changes known contacts only. */
    public ConsentBatch(long workspaceId, RequestContext context, List<ConsentCommand> commands) {
        this(workspaceId, context, commands, false);
    }
}

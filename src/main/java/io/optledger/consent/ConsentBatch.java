package io.optledger.consent;

import io.optledger.platform.InvalidInput;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Commands applied together, all or nothing, in one transaction.
 *
 * @param createContacts true to create, in the batch's transaction, a contact for each email or phone a command names
 *     that no contact has (a sign-up in one call); false to reject such a command as {@code contact_not_found}
 * @param contactsHave an attribute every contact the batch names must have, checked under the contact's lock as the
 *     batch applies; a command naming a contact without it is {@code contact_not_found}, as if the contact did not
 *     exist (a dialect's scope: the database an Altcraft profile belongs to). Null: no condition.
 */
public record ConsentBatch(
        long workspaceId,
        RequestContext context,
        List<ConsentCommand> commands,
        boolean createContacts,
        @Nullable ContactAttribute contactsHave) {

    public static final int MAX_COMMANDS = 1_000;

    /** A contact attribute and the text it must hold, as {@code attributes ->> name} reads it. */
    public record ContactAttribute(String name, String value) {}

    public ConsentBatch {
        if (commands.isEmpty() || commands.size() > MAX_COMMANDS) {
            throw new InvalidInput("items", "a batch holds 1 to " + MAX_COMMANDS + " changes, not " + commands.size());
        }
        commands = List.copyOf(commands);
    }

    /** A batch with no condition on its contacts. */
    public ConsentBatch(
            long workspaceId, RequestContext context, List<ConsentCommand> commands, boolean createContacts) {
        this(workspaceId, context, commands, createContacts, null);
    }

    /** A batch that changes known contacts only. */
    public ConsentBatch(long workspaceId, RequestContext context, List<ConsentCommand> commands) {
        this(workspaceId, context, commands, false, null);
    }
}

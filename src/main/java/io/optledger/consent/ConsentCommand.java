package io.optledger.consent;

import io.optledger.contact.Channel;
import io.optledger.platform.FreeForm;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One requested change to one subscription.
 *
 * @param address the channel address; null means the contact's own (its email for EMAIL, its phone for SMS)
 * @param occurredAt when the person gave or withdrew consent; null means now. A change older than the state it would
 *     replace is recorded but does not apply.
 * @param suspendedUntil for {@link Action#SUSPEND}: when the suspension ends by itself; null means never
 * @param properties merged into the subscription's properties when the command applies; null or empty keeps them
 * @param quiet true to enqueue no outbox event for the change (Altcraft's {@code skip_triggers}); the ledger has it
 *     all the same
 */
public record ConsentCommand(
        ContactRef contact,
        Channel channel,
        @Nullable String address,
        String topic,
        Action action,
        @Nullable Instant occurredAt,
        @Nullable Instant suspendedUntil,
        Provenance provenance,
        @Nullable Map<String, Object> properties,
        boolean quiet) {

    public ConsentCommand {
        if (properties != null) {
            FreeForm.check("properties", properties);
        }
    }

    public ConsentCommand(
            ContactRef contact,
            Channel channel,
            @Nullable String address,
            String topic,
            Action action,
            @Nullable Instant occurredAt,
            @Nullable Instant suspendedUntil,
            Provenance provenance) {
        this(contact, channel, address, topic, action, occurredAt, suspendedUntil, provenance, null, false);
    }
}

package io.optledger.delivery.webhook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * The type of a webhook event. Every subscription change on the outbox is exactly one event: a confirmation of a
 * pending opt-in is {@code subscription.confirmed}, every other change {@code subscription.changed}; a suppression
 * added, given another reason or lifted is {@code suppression.added}, {@code .changed} or {@code .lifted}; a
 * contact's erasure is {@code contact.erased}.
 */
public enum EventType {
    SUBSCRIPTION_CHANGED("subscription.changed"),
    SUBSCRIPTION_CONFIRMED("subscription.confirmed"),
    SUPPRESSION_ADDED("suppression.added"),
    /** A suppression already there given another reason. */
    SUPPRESSION_CHANGED("suppression.changed"),
    SUPPRESSION_LIFTED("suppression.lifted"),
    /** A contact was erased: it names the contact, never an address; every topic and channel filter lets it through. */
    CONTACT_ERASED("contact.erased"),
    /** A ping sent by {@code POST /v1/webhooks/{id}/test}, never filtered out and never retried. */
    WEBHOOK_TEST("webhook.test");

    private final String value;

    EventType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The types an endpoint may choose among. */
    public static List<EventType> subscribable() {
        return List.of(
                SUBSCRIPTION_CHANGED,
                SUBSCRIPTION_CONFIRMED,
                SUPPRESSION_ADDED,
                SUPPRESSION_CHANGED,
                SUPPRESSION_LIFTED,
                CONTACT_ERASED);
    }

    @JsonCreator
    public static EventType of(String value) {
        return Arrays.stream(values())
                .filter(type -> type.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + value + "', expected one of "
                        + subscribable().stream().map(EventType::value).toList()));
    }
}

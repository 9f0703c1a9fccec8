package io.optledger.delivery.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bodies webhooks carry: {@code {"type", "timestamp", "data"}} as Standard Webhooks recommends, {@code data}
 * made from the outbox row the consent service wrote for the change (docs/webhooks.md, "Events").
 */
@Component
class WebhookEvents {

    private final JsonMapper json;

    WebhookEvents(JsonMapper json) {
        this.json = json;
    }

    /**
     * An outbox row as a webhook: what endpoints filter on ({@code topic} is null for an event that holds for every
     * topic, such as a suppression), the order in its lane and the body.
     */
    record Event(
            EventType type,
            @Nullable String topic,
            String channel,
            @Nullable Long seq,
            String body) {}

    /** The webhook of an outbox row of the given type. */
    Event event(String outboxType, String payloadText) {
        JsonNode payload = json.readTree(payloadText);
        if (outboxType.equals(EventType.CONTACT_ERASED.value())) {
            return erased(payload);
        }
        return outboxType.startsWith("suppression.") ? suppression(EventType.of(outboxType), payload) : change(payload);
    }

    /** A contact erased: names the contact and its ledger event, never an address. */
    private Event erased(JsonNode payload) {
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("workspaceId", number(payload, "workspaceId"));
        data.put("contactId", number(payload, "contactId"));
        data.put("erasedAt", text(payload, "recordedAt"));
        data.put("ledgerSeq", number(payload, "eventSeq"));
        data.put("ledgerHash", text(payload, "eventHash"));
        return new Event(
                EventType.CONTACT_ERASED,
                null,
                "",
                number(payload, "eventSeq"),
                envelope(EventType.CONTACT_ERASED, text(payload, "recordedAt"), data));
    }

    /** A subscription change. */
    private Event change(JsonNode payload) {
        EventType type = "CONFIRM".equals(text(payload, "action"))
                ? EventType.SUBSCRIPTION_CONFIRMED
                : EventType.SUBSCRIPTION_CHANGED;
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("workspaceId", number(payload, "workspaceId"));
        data.put("contactId", number(payload, "contactId"));
        data.put("channel", text(payload, "channel"));
        data.put("address", text(payload, "address"));
        data.put("topic", text(payload, "topic"));
        data.put("previousStatus", text(payload, "from"));
        data.put("status", text(payload, "to"));
        data.put("action", text(payload, "action"));
        data.put("suspendedUntil", text(payload, "suspendedUntil"));
        data.put("occurredAt", text(payload, "occurredAt"));
        data.put("recordedAt", text(payload, "recordedAt"));
        data.put("source", text(payload, "source"));
        data.put("ledgerSeq", number(payload, "eventSeq"));
        // outbox rows written before the hash was added to the payload have none
        data.put("ledgerHash", text(payload, "eventHash"));
        String timestamp = text(payload, "recordedAt");
        return new Event(
                type,
                String.valueOf(text(payload, "topic")),
                String.valueOf(text(payload, "channel")),
                number(payload, "eventSeq"),
                envelope(type, timestamp, data));
    }

    /** A suppression added, given another reason or lifted, from the workspace ledger's event. */
    private Event suppression(EventType type, JsonNode payload) {
        // the workspace ledger names a suppressed address CHANNEL:address
        String subject = String.valueOf(text(payload, "subject"));
        int colon = subject.indexOf(':');
        String channel = subject.substring(0, Math.max(colon, 0));
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("workspaceId", number(payload, "workspaceId"));
        data.put("channel", channel);
        data.put("address", subject.substring(colon + 1));
        data.put("previousReason", text(payload, "before"));
        data.put("reason", text(payload, "after"));
        data.put("note", text(payload, "reason"));
        data.put("occurredAt", text(payload, "recordedAt"));
        data.put("source", text(payload, "source"));
        data.put("workspaceLedgerSeq", number(payload, "workspaceSeq"));
        data.put("workspaceLedgerHash", text(payload, "workspaceHash"));
        return new Event(
                type,
                null,
                channel,
                number(payload, "workspaceSeq"),
                envelope(type, text(payload, "recordedAt"), data));
    }

    /** A {@code webhook.test} ping for an endpoint. */
    String ping(Endpoint endpoint, Instant now) {
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("workspaceId", endpoint.workspaceId());
        data.put("webhookId", endpoint.id());
        data.put("message", "A test event from OptLedger: the endpoint answers and can check the signature.");
        return envelope(EventType.WEBHOOK_TEST, now.toString(), data);
    }

    private String envelope(EventType type, @Nullable String timestamp, Map<String, @Nullable Object> data) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("type", type.value());
        body.put("timestamp", timestamp);
        body.put("data", data);
        return json.writeValueAsString(body);
    }

    private static @Nullable String text(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }

    private static @Nullable Long number(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        return node == null || !node.isNumber() ? null : node.asLong();
    }
}

package io.optledger.transfer;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.ConsentExports;
import io.optledger.consent.ConsentExports.EventFilter;
import io.optledger.consent.ConsentExports.SubscriptionFilter;
import io.optledger.consent.Status;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.contact.Identifier;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a workspace's subscriptions and ledger out, each as one response in constant memory. The subscription
 * export's columns are an import's: importing it into another workspace reproduces the state.
 */
@RestController
@Tag(name = "Imports and exports")
class ExportsController {

    static final List<String> SUBSCRIPTION_COLUMNS = List.of(
            "email",
            "phone",
            "externalId",
            "channel",
            "address",
            "topic",
            "status",
            "occurredAt",
            "suspendedUntil",
            "source",
            "contactId",
            "updatedAt",
            "deleted");
    static final List<String> EVENT_COLUMNS = List.of(
            "contactId",
            "seq",
            "channel",
            "address",
            "topic",
            "status",
            "outcome",
            "rejectReason",
            "from",
            "to",
            "suspendedUntil",
            "occurredAt",
            "recordedAt",
            "source",
            "reason",
            "campaignId",
            "communicationId",
            "signUpUnit",
            "ip",
            "userAgent",
            "apiKeyId",
            "requestId",
            "details",
            "prevHash",
            "hash");

    private final ConsentExports exports;
    private final JsonMapper json;

    ExportsController(ConsentExports exports, JsonMapper json) {
        this.exports = exports;
        this.json = json;
    }

    @GetMapping(
            path = "/v1/exports/subscriptions",
            produces = {"text/csv", "application/x-ndjson"})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "Every subscription's current state, streamed as CSV or NDJSON, in columns an import reads back",
            description = "Filters: topic, channel, status, changedSince (the state received at or after the time)."
                    + " DETACHED subscriptions (an address no longer the contact's) are left out unless status=DETACHED"
                    + " asks for them. The format is the format parameter's, else the Accept header's.")
    ResponseEntity<StreamingResponseBody> subscriptions(
            Caller caller,
            HttpServletRequest http,
            @Parameter(description = "csv or ndjson") @RequestParam(required = false) @Nullable String format,
            @RequestParam(required = false) @Nullable String topic,
            @RequestParam(required = false) @Nullable String channel,
            @RequestParam(required = false) @Nullable String status,
            @Parameter(description = "RFC 3339") @RequestParam(required = false) @Nullable String changedSince) {
        ImportFormat chosen = format(format, http);
        Status wanted = status == null ? null : status(status);
        SubscriptionFilter filter = new SubscriptionFilter(
                caller.workspaceId(),
                topic,
                channel == null ? null : RowBuilder.channel("channel", channel),
                wanted,
                changedSince == null ? null : RowBuilder.instant("changedSince", changedSince));
        return stream(chosen, out -> {
            RecordWriter writer = new RecordWriter(chosen, SUBSCRIPTION_COLUMNS, out, json);
            exports.subscriptions(filter, exported -> {
                var s = exported.subscription();
                if (s.status() == Status.DETACHED && wanted != Status.DETACHED) {
                    return;
                }
                Map<String, String> ids = exported.identifiers();
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("email", ids.get(Identifier.EMAIL));
                record.put("phone", ids.get(Identifier.PHONE));
                record.put("externalId", ids.get(Identifier.EXTERNAL_ID));
                Map<String, String> others = new LinkedHashMap<>(ids);
                others.keySet().removeAll(List.of(Identifier.EMAIL, Identifier.PHONE, Identifier.EXTERNAL_ID));
                if (!others.isEmpty()) {
                    record.put("identifiers", others);
                }
                record.put("channel", s.channel().name());
                record.put("address", s.address());
                record.put("topic", s.topic());
                record.put("status", s.status().name().toLowerCase(Locale.ROOT));
                record.put("occurredAt", s.occurredAt().toString());
                record.put(
                        "suspendedUntil",
                        s.suspendedUntil() == null ? null : s.suspendedUntil().toString());
                record.put("source", s.source());
                record.put("contactId", s.contactId());
                record.put("updatedAt", s.updatedAt().toString());
                record.put("deleted", s.deleted());
                record.values().removeIf(java.util.Objects::isNull);
                writer.write(record);
            });
            writer.flush();
        });
    }

    @GetMapping(
            path = "/v1/exports/events",
            produces = {"text/csv", "application/x-ndjson"})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "The ledger: every consent event, streamed as CSV or NDJSON, by contact and sequence",
            description = "Filters: contact (an id), from and to (recorded at or after from, before to; RFC 3339)."
                    + " Each event carries its hash and its predecessor's, so the chains can be checked offline.")
    ResponseEntity<StreamingResponseBody> events(
            Caller caller,
            HttpServletRequest http,
            @Parameter(description = "csv or ndjson") @RequestParam(required = false) @Nullable String format,
            @Parameter(description = "a contact id") @RequestParam(required = false) @Nullable Long contact,
            @Parameter(description = "RFC 3339") @RequestParam(required = false) @Nullable String from,
            @Parameter(description = "RFC 3339") @RequestParam(required = false) @Nullable String to) {
        ImportFormat chosen = format(format, http);
        EventFilter filter = new EventFilter(
                caller.workspaceId(),
                contact,
                from == null ? null : RowBuilder.instant("from", from),
                to == null ? null : RowBuilder.instant("to", to));
        return stream(chosen, out -> {
            RecordWriter writer = new RecordWriter(chosen, EVENT_COLUMNS, out, json);
            exports.events(filter, event -> writer.write(record(event, chosen)));
            writer.flush();
        });
    }

    private Map<String, Object> record(ConsentEvent e, ImportFormat format) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contactId", e.contactId());
        record.put("seq", e.seq());
        // the erasure's own event names no channel, address or topic
        record.put("channel", e.channel() == null ? null : e.channel().name());
        record.put("address", e.address());
        record.put("topic", e.topic());
        record.put("status", e.action().name().toLowerCase(Locale.ROOT));
        record.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
        record.put(
                "rejectReason",
                e.rejectReason() == null ? null : e.rejectReason().code());
        record.put("from", e.from() == null ? null : e.from().name());
        record.put("to", e.to() == null ? null : e.to().name());
        record.put("suspendedUntil", str(e.suspendedUntil()));
        record.put("occurredAt", e.occurredAt().toString());
        record.put("recordedAt", e.recordedAt().toString());
        record.put("source", e.source());
        record.put("reason", e.reason());
        record.put("campaignId", e.campaignId());
        record.put("communicationId", e.communicationId());
        record.put("signUpUnit", e.signUpUnit());
        record.put("ip", e.ip());
        record.put("userAgent", e.userAgent());
        record.put("apiKeyId", e.apiKeyId());
        record.put("requestId", e.requestId());
        record.put("details", format == ImportFormat.CSV ? json.writeValueAsString(e.details()) : e.details());
        record.put("prevHash", e.prevHash());
        record.put("hash", e.hash());
        record.values().removeIf(java.util.Objects::isNull);
        return record;
    }

    private static @Nullable String str(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Status status(String value) {
        try {
            return Status.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    "status",
                    "'" + value + "' is not a status (SUBSCRIBED, PENDING, UNSUBSCRIBED, SUSPENDED, DETACHED)");
        }
    }

    /** The format the parameter names, else the first of CSV and NDJSON the Accept header allows (NDJSON for any). */
    static ImportFormat format(@Nullable String parameter, HttpServletRequest http) {
        ImportFormat named = ImportFormat.of(parameter, null);
        if (named != null) {
            return named;
        }
        String accept = http.getHeader(HttpHeaders.ACCEPT);
        if (accept != null) {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                ImportFormat format = ImportFormat.of(null, type.toString());
                if (format != null) {
                    return format;
                }
            }
        }
        return ImportFormat.NDJSON;
    }

    private static ResponseEntity<StreamingResponseBody> stream(ImportFormat format, StreamingResponseBody body) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(format.mediaType() + ";charset=UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }
}

package io.optledger.transfer;

import io.optledger.consent.Action;
import io.optledger.contact.Channel;
import io.optledger.platform.InputLimits;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns the fields of one record into a {@link StagedRow}, the defaults filled in. A value of the wrong type (a channel,
 * a status or a time that is none) is the file's fault: {@link InvalidInput} naming the row, and the upload is refused.
 */
final class RowBuilder {

    private final ImportOptions options;
    private final Instant receivedAt;

    RowBuilder(ImportOptions options, Instant receivedAt) {
        this.options = options;
        this.receivedAt = receivedAt;
    }

    static void checkDefaults(ImportOptions options) {
        options.defaults().forEach((field, value) -> {
            String name = "default." + field.column();
            switch (field) {
                case CHANNEL -> channel(name, value);
                case STATUS -> action(name, value);
                case OCCURRED_AT -> instant(name, value);
                default -> checkLength(name, value);
            }
        });
    }

    StagedRow build(long row, Function<ImportField, @Nullable String> given, Map<String, String> identifiers) {
        String at = "row " + row;
        Function<ImportField, @Nullable String> value = field -> {
            String v = given.apply(field);
            if (v != null) {
                checkLength(at + " " + options.columnOf(field), v);
            }
            if (v == null || v.isBlank()) {
                v = options.defaults().get(field);
            }
            return v == null || v.isBlank() ? null : v;
        };
        identifiers.forEach((name, v) -> checkLength(at + " identifier." + name, v));
        String email = value.apply(ImportField.EMAIL);
        String phone = value.apply(ImportField.PHONE);
        String externalId = value.apply(ImportField.EXTERNAL_ID);
        String channel = value.apply(ImportField.CHANNEL);
        String status = value.apply(ImportField.STATUS);
        String occurredAt = value.apply(ImportField.OCCURRED_AT);
        String suspendedUntil = value.apply(ImportField.SUSPENDED_UNTIL);
        return new StagedRow(
                row,
                contactKey(email, phone, externalId, identifiers),
                email,
                phone,
                externalId,
                identifiers,
                channel == null ? null : channel(at + " " + options.columnOf(ImportField.CHANNEL), channel),
                value.apply(ImportField.ADDRESS),
                value.apply(ImportField.TOPIC),
                status == null ? null : action(at + " " + options.columnOf(ImportField.STATUS), status),
                occurredAt == null
                        ? receivedAt
                        : instant(at + " " + options.columnOf(ImportField.OCCURRED_AT), occurredAt),
                suspendedUntil == null
                        ? null
                        : instant(at + " " + options.columnOf(ImportField.SUSPENDED_UNTIL), suspendedUntil),
                value.apply(ImportField.SOURCE),
                value.apply(ImportField.REASON),
                value.apply(ImportField.SIGN_UP_UNIT),
                value.apply(ImportField.IP),
                value.apply(ImportField.USER_AGENT));
    }

    /** The first identifier as given, loosely normalised: what groups one contact's rows into one chunk. */
    private static String contactKey(
            @Nullable String email, @Nullable String phone, @Nullable String externalId, Map<String, String> others) {
        if (email != null) {
            return "e:" + email.strip().toLowerCase(Locale.ROOT);
        }
        if (phone != null) {
            return "p:" + phone.replaceAll("[^0-9]", "");
        }
        if (externalId != null) {
            return "x:" + externalId.strip();
        }
        return others.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .findFirst()
                .map(e -> "i:" + e.getKey() + "=" + e.getValue().strip())
                .orElse("");
    }

    private static void checkLength(String field, String value) {
        if (value.length() > InputLimits.MAX_STRING) {
            throw new InvalidInput(field, field + " is longer than " + InputLimits.MAX_STRING + " characters");
        }
    }

    static Channel channel(String field, String value) {
        try {
            return Channel.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(
                    field, field + ": '" + value + "' is not a channel (EMAIL, SMS, WHATSAPP, PUSH, ...)");
        }
    }

    /** A state the record was in, or an action taken: each becomes the consent action that leads to it. */
    static Action action(String field, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "subscribed", "opt_in", "opted_in", "optin" -> Action.OPT_IN;
            case "unsubscribed", "opt_out", "opted_out", "optout" -> Action.OPT_OUT;
            case "pending", "await_confirmation" -> Action.AWAIT_CONFIRMATION;
            case "request_opt_in" -> Action.REQUEST_OPT_IN;
            case "confirm", "confirmed" -> Action.CONFIRM;
            case "suspended", "suspend" -> Action.SUSPEND;
            case "resume", "resumed" -> Action.RESUME;
            default ->
                throw new InvalidInput(
                        field,
                        field + ": '" + value + "' is not a status (subscribed, unsubscribed, pending, suspended) or"
                                + " an action (opt_in, opt_out, request_opt_in, confirm, suspend, resume)");
        };
    }

    static Instant instant(String field, String value) {
        try {
            return Timestamps.checked(field, OffsetDateTime.parse(value.strip()).toInstant());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(field, field + ": '" + value + "' is not an RFC 3339 time (2024-05-01T12:00:00Z)");
        }
    }
}

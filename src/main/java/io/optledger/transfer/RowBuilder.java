package io.optledger.transfer;

import io.optledger.consent.Action;
import io.optledger.contact.Channel;
import io.optledger.platform.InputLimits;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
            if (v != null && v.length() > InputLimits.MAX_STRING) {
                tooLong(at + " " + options.columnOf(field));
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
            tooLong(field);
        }
    }

    private static void tooLong(String field) {
        throw new InvalidInput(field, field + " is longer than " + InputLimits.MAX_STRING + " characters");
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
            String text = value.strip();
            Instant quick = quick(text);
            return Timestamps.checked(
                    field, quick != null ? quick : OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(field, field + ": '" + value + "' is not an RFC 3339 time (2024-05-01T12:00:00Z)");
        }
    }

    /**
     * The common forms of an RFC 3339 time ({@code 2024-05-01T12:00:00Z}, with a fraction of up to 9 digits or a
     * {@code ±hh:mm} offset) read directly, as {@link OffsetDateTime#parse} would read them, at a fraction of its cost
     * (it dominated reading an upload); null for any other text, which that parser then reads or refuses.
     */
    static @Nullable Instant quick(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i - start < 1 || i - start > 9) {
                return null;
            }
            nano = digits(s, start, i);
            for (int k = i - start; k < 9; k++) {
                nano *= 10;
            }
        }
        int offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, i + 3);
            int minutes = digits(s, i + 4, i + 6);
            if (hours < 0 || minutes < 0 || minutes > 59) {
                return null;
            }
            offset = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nano)
                    .toInstant(ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code s} from {@code from} to {@code to}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

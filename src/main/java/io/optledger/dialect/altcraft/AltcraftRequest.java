package io.optledger.dialect.altcraft;

import io.optledger.dialect.altcraft.AltcraftCodec.Format;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A method call's fields, read the same way from JSON and from XML (where every value arrives as text): numbers as
 * numbers or digits, booleans as booleans or {@code true}/{@code false}/{@code 1}/{@code 0}. An empty value is an
 * absent one. A field of the wrong type is an {@link AltcraftError#INVALID_FIELD} naming it.
 */
record AltcraftRequest(ObjectNode fields, Format format) {

    @Nullable
    String text(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw invalid(name, "a text value");
        }
        String text = value.asString().strip();
        return text.isEmpty() ? null : text;
    }

    String requiredText(String name) {
        String text = text(name);
        if (text == null) {
            throw AltcraftError.INVALID_FIELD.failure(name + " is required");
        }
        return text;
    }

    @Nullable
    Long integer(String name) {
        JsonNode value = fields.get(name);
        if (value != null && value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw invalid(name, "an integer within 64 bits");
            }
            return value.asLong();
        }
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(name, "an integer");
        }
    }

    long requiredInteger(String name) {
        Long value = integer(name);
        if (value == null) {
            throw AltcraftError.INVALID_FIELD.failure(name + " is required");
        }
        return value;
    }

    /** A positive id (db_id, resource_id). */
    long requiredId(String name) {
        long id = requiredInteger(name);
        if (id < 1) {
            throw invalid(name, "a positive integer");
        }
        return id;
    }

    @Nullable
    Long optionalId(String name) {
        return fields.has(name) && text(name) != null ? requiredId(name) : null;
    }

    boolean bool(String name) {
        JsonNode value = fields.get(name);
        if (value != null && value.isBoolean()) {
            return value.asBoolean();
        }
        String text = text(name);
        if (text == null) {
            return false;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(name, "true or false");
        };
    }

    /** An RFC 3339 date-time within {@link Timestamps}' range, at microsecond precision. */
    @Nullable
    Instant instant(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw invalid(name, "an RFC 3339 date-time such as 2018-08-22T00:00:00.000Z");
        }
        try {
            return Timestamps.checked(name, instant);
        } catch (InvalidInput e) {
            throw invalid(name, "from " + Timestamps.EARLIEST + " to " + Timestamps.LATEST);
        }
    }

    /**
     * A day ({@code 2016-11-25}, as Altcraft's history methods take it) or an RFC 3339 date-time: the day's start, or
     * with {@code endOfDay} the start of the next day (so a day is inclusive).
     */
    @Nullable
    Instant day(String name, boolean endOfDay) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        if (text.length() > 10) {
            return instant(name);
        }
        try {
            LocalDate day = LocalDate.parse(text);
            return Timestamps.checked(
                    name,
                    (endOfDay ? day.plusDays(1) : day)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant());
        } catch (DateTimeException | InvalidInput e) {
            throw invalid(name, "a day such as 2016-11-25 (or an RFC 3339 date-time)");
        }
    }

    /** An object of fields, as plain values (text from XML stays text). */
    @Nullable
    Map<String, Object> object(String name) {
        JsonNode value = fields.get(name);
        if (value == null
                || value.isNull()
                || (value.isString() && value.asString().isBlank())) {
            return null;
        }
        if (!value.isObject()) {
            throw invalid(name, "an object");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        value.properties().forEach(entry -> object.put(entry.getKey(), plain(entry.getValue())));
        return object;
    }

    /**
     * A list of texts: a JSON array, repeated XML elements, an element wrapping repeated children
     * ({@code <cats><cat>a</cat></cats>}), or a single value.
     */
    @Nullable
    List<String> texts(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isObject() && value.size() == 1) {
            value = value.properties().iterator().next().getValue();
        }
        List<String> texts = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode()) {
                    throw invalid(name, "a list of texts");
                }
                texts.add(item.asString().strip());
            }
        } else if (value.isValueNode()) {
            if (!value.asString().isBlank()) {
                texts.add(value.asString().strip());
            }
        } else {
            throw invalid(name, "a list of texts");
        }
        return texts;
    }

    JsonNode node(String name) {
        JsonNode value = fields.get(name);
        return value == null ? fields.nullNode() : value;
    }

    static AltcraftFailure invalid(String name, String expected) {
        return AltcraftError.INVALID_FIELD.failure(name + " must be " + expected);
    }

    private static Object plain(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> object = new LinkedHashMap<>();
            value.properties().forEach(entry -> object.put(entry.getKey(), plain(entry.getValue())));
            return object;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isNull() ? "" : value.asString();
    }
}

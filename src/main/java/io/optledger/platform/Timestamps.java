package io.optledger.platform;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * The range of instants every API accepts, and the precision the service keeps.
 *
 * <p>From the Unix epoch (nothing recorded here happened before it, and earlier dates would cross the
 * Julian/Gregorian change on their way through JDBC) to the last microsecond of 9999, which every JSON, XML and SQL
 * date form can hold. Instants are kept at microsecond precision, what PostgreSQL stores: finer digits are truncated.
 */
public final class Timestamps {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Timestamps() {}

    /** The instant, truncated to microseconds; {@link InvalidInput} naming {@code field} when it is out of range. */
    public static Instant checked(String field, Instant instant) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidInput(field, instant + " is out of range: give a time from " + EARLIEST + " to " + LATEST);
        }
        return micros(instant);
    }

    /** The instant at the precision PostgreSQL stores, so what is hashed is what is read back. */
    public static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Reads an instant from RFC 3339 text only. Jackson would also take a number as epoch seconds, and silently turn
     * one with a huge exponent ({@code 1e300}) into 1970; an API's times are text, so a number or an empty text is
     * refused as the wrong type.
     */
    public static final class Rfc3339 extends ValueDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING) || parser.getString().isBlank()) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}

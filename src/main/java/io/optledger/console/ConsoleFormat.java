package io.optledger.console;

import io.optledger.contact.Channel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** How console pages write times and ages: in UTC, to the second, and ages in the largest two units. */
@Component("consoleFormat")
class ConsoleFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public String time(@Nullable Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** {@code 3 d 4 h}, {@code 5 h 12 min}, {@code 40 s}. */
    public String age(@Nullable Duration age) {
        if (age == null) {
            return "";
        }
        long seconds = Math.max(0, age.toSeconds());
        if (seconds >= 86_400) {
            return seconds / 86_400 + " d " + seconds % 86_400 / 3_600 + " h";
        }
        if (seconds >= 3_600) {
            return seconds / 3_600 + " h " + seconds % 3_600 / 60 + " min";
        }
        return seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }

    public String mask(String name, String value) {
        return PeopleController.mask(name, value);
    }

    /** An address as lists show it: an email or phone masked as the logs mask them, any other kept short. */
    public String maskAddress(Channel channel, String address) {
        String identifier = channel.defaultIdentifier();
        return PeopleController.mask(identifier == null ? "address" : identifier, address);
    }
}

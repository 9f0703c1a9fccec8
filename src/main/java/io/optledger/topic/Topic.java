package io.optledger.topic;

import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one subscribes to: a key, and the name and description people see on the preference page. {@code defaultOptIn} is the answer for a contact never asked; {@code mandatory} topics
 * cannot be left; {@code doubleOptIn} lists the channels on which an opt-in request waits for confirmation.
 */
public record Topic(
        String key,
        String name,
        @Nullable String description,
        TopicKind kind,
        boolean defaultOptIn,
        boolean mandatory,
        Set<Channel> doubleOptIn,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_DESCRIPTION = 1_000;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public Topic {
        requireKey(key);
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "a topic name is 1 to 200 characters");
        }
        if (description != null && (description.isBlank() || description.length() > MAX_DESCRIPTION)) {
            throw new InvalidInput(
                    "description", "a topic description is 1 to " + MAX_DESCRIPTION + " characters, or absent");
        }
        doubleOptIn = doubleOptIn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(doubleOptIn));
    }

    public static String requireKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new InvalidInput(
                    "key", "'" + key + "' is not a topic key (lowercase letters, digits, '.', '_', '-')");
        }
        return key;
    }

    public boolean requiresDoubleOptIn(Channel channel) {
        return doubleOptIn.contains(channel);
    }
}

package io.optledger.topic;

import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A configured opt-in entry point: the channel it signs people up on, the subscription type (and so the topic), the
 * locale it serves, whether it may skip double opt-in, and the disclosure (legal text) it shows, at its current
 * version. Its {@code id} is Attentive's {@code signUpSourceId}.
 */
public record SignUpUnit(
        String id,
        String name,
        UnitChannel channel,
        SubscriptionType subscriptionType,
        String language,
        String country,
        boolean singleOptInAllowed,
        Disclosure disclosure,
        Instant createdAt,
        Instant updatedAt) {

    /** The channels a unit signs up on, in Attentive's names. */
    public enum UnitChannel {
        TEXT(Channel.SMS),
        EMAIL(Channel.EMAIL);

        private final Channel channel;

        UnitChannel(Channel channel) {
            this.channel = channel;
        }

        public Channel channel() {
            return channel;
        }
    }

    /** What a unit subscribes to; each type is one topic of the workspace. */
    public enum SubscriptionType {
        MARKETING("marketing", TopicKind.MARKETING),
        TRANSACTIONAL("transactional", TopicKind.TRANSACTIONAL),
        CHECKOUT_ABANDONED("checkout-abandoned", TopicKind.MARKETING);

        private final String topic;
        private final TopicKind kind;

        SubscriptionType(String topic, TopicKind kind) {
            this.topic = topic;
            this.kind = kind;
        }

        public String topic() {
            return topic;
        }

        TopicKind kind() {
            return kind;
        }

        /** The type a topic is, if it is one of theirs. */
        public static @Nullable SubscriptionType ofTopic(String topic) {
            for (SubscriptionType type : values()) {
                if (type.topic.equals(topic)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** One version of a unit's legal text, with the SHA-256 (hex) of its UTF-8 bytes. */
    public record Disclosure(int version, String text, String hash) {}

    /** The locale as {@code language-COUNTRY} ({@code en-US}). */
    public String locale() {
        return language.toLowerCase(Locale.ROOT) + "-" + country.toUpperCase(Locale.ROOT);
    }
}

package io.optledger.dialect.attentive;

import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.dialect.attentive.AttentivePayloads.RequestedSubscription;
import io.optledger.dialect.attentive.AttentivePayloads.User;
import io.optledger.messaging.MessageTemplate;
import io.optledger.topic.SignUpUnit.SubscriptionType;
import io.optledger.topic.SignUpUnit.UnitChannel;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How Attentive names subscriptions (a type on a channel) and where a user's addresses fall, shared by its calls. */
final class AttentivePairs {

    private AttentivePairs() {}

    /** A subscription type on a channel, as Attentive names subscriptions. */
    record Pair(SubscriptionType type, UnitChannel channel) {
        AttentivePayloads.Subscription subscription() {
            return new AttentivePayloads.Subscription(type.name(), channel.name());
        }
    }

    static @Nullable Subscription find(
            List<Subscription> subscriptions, Channel channel, String address, String topic) {
        return subscriptions.stream()
                .filter(s -> s.channel() == channel
                        && s.address().equals(address)
                        && s.topic().equals(topic))
                .findFirst()
                .orElse(null);
    }

    static Pair pair(RequestedSubscription requested) {
        if (requested == null || requested.type() == null || requested.channel() == null) {
            throw AttentiveFailure.badRequest("each subscription needs a type and a channel");
        }
        UnitChannel channel;
        try {
            channel = UnitChannel.valueOf(requested.channel().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AttentiveFailure.badRequest("channel '" + requested.channel() + "' is not TEXT or EMAIL");
        }
        return new Pair(type(requested.type()), channel);
    }

    static SubscriptionType type(String name) {
        try {
            return SubscriptionType.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AttentiveFailure.badRequest(
                    "subscriptionType '" + name + "' is not MARKETING, TRANSACTIONAL or CHECKOUT_ABANDONED");
        }
    }

    static String language(String language) {
        String supported = MessageTemplate.supported(language);
        if (!supported.equalsIgnoreCase(language.strip().replace('_', '-'))) {
            throw AttentiveFailure.badRequest("notification.language '" + language + "' is not en-US or fr-CA");
        }
        return supported;
    }

    static @Nullable UnitChannel unitChannel(Channel channel) {
        return switch (channel) {
            case SMS -> UnitChannel.TEXT;
            case EMAIL -> UnitChannel.EMAIL;
            default -> null;
        };
    }

    static @Nullable String addressOf(User user, UnitChannel channel) {
        return channel == UnitChannel.TEXT ? user.phone() : user.email();
    }
}

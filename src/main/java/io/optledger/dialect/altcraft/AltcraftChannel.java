package io.optledger.dialect.altcraft;

import io.optledger.contact.Channel;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Altcraft's channels, the channel each is, and the fields that carry its address. */
enum AltcraftChannel {
    EMAIL("email", Channel.EMAIL),
    SMS("sms", Channel.SMS),
    PUSH("push", Channel.PUSH),
    TELEGRAM_BOT("telegram_bot", Channel.TELEGRAM),
    WHATSAPP("whatsapp", Channel.WHATSAPP);

    private final String apiName;
    private final Channel channel;

    AltcraftChannel(String apiName, Channel channel) {
        this.apiName = apiName;
        this.channel = channel;
    }

    static Optional<AltcraftChannel> of(@Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (AltcraftChannel channel : values()) {
            if (channel.apiName.equals(wanted)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    static Optional<AltcraftChannel> of(Channel channel) {
        for (AltcraftChannel candidate : values()) {
            if (candidate.channel == channel) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    String apiName() {
        return apiName;
    }

    Channel channel() {
        return channel;
    }
}

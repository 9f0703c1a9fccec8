package io.optledger.dialect.capillary;

import io.optledger.contact.Channel;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Capillary's communication channels, spelled as v2 spells them, with the channel each maps onto. v1.1 knows only
 * {@code sms} and {@code email}; {@code SMS} is accepted in v2 as an alias of {@code MOBILE}.
 */
enum CapillaryChannel {
    MOBILE("MOBILE", "SMS", "mobile", 1, Channel.SMS),
    EMAIL("EMAIL", "EMAIL", "email", 2, Channel.EMAIL),
    WECHAT("wechat", null, "wechat", 3, Channel.WECHAT),
    IOS("ios", null, "ios", 4, Channel.PUSH),
    ANDROID("android", null, "android", 5, Channel.PUSH),
    LINE("line", null, "line", 6, Channel.LINE),
    WHATSAPP("whatsapp", null, "whatsapp", 9, Channel.WHATSAPP);

    private final String v2Name;
    private final @Nullable String v11Name;
    private final String logType;
    private final int logId;
    private final Channel channel;

    CapillaryChannel(String v2Name, @Nullable String v11Name, String logType, int logId, Channel channel) {
        this.v2Name = v2Name;
        this.v11Name = v11Name;
        this.logType = logType;
        this.logId = logId;
        this.channel = channel;
    }

    /** A v2 channel name, any case; {@code SMS} is {@link #MOBILE}. */
    static Optional<CapillaryChannel> ofV2(@Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip();
        if (wanted.equalsIgnoreCase("sms")) {
            return Optional.of(MOBILE);
        }
        for (CapillaryChannel channel : values()) {
            if (channel.v2Name.equalsIgnoreCase(wanted)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** A v1.1 channel name ({@code sms} or {@code email}), any case. */
    static Optional<CapillaryChannel> ofV11(@Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (CapillaryChannel channel : values()) {
            if (channel.v11Name != null && channel.v11Name.equalsIgnoreCase(name.strip())) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /**
     * The Capillary channel of a subscription. Push subscriptions carry the platform in their address (see {@link
     * #address}), which tells iOS from Android.
     */
    static Optional<CapillaryChannel> of(Channel channel, String address) {
        for (CapillaryChannel candidate : values()) {
            if (candidate.channel == channel
                    && (candidate.hasOwnAddress() || address.startsWith(candidate.addressPrefix()))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    Channel channel() {
        return channel;
    }

    String v2Name() {
        return v2Name;
    }

    String v11Name() {
        return v11Name == null ? v2Name.toUpperCase(Locale.ROOT) : v11Name;
    }

    /** The name in the subscription change log ({@code commChannelType}). */
    String logType() {
        return logType;
    }

    /** The id in the subscription change log ({@code commChannelId}): Capillary's where published, ours otherwise. */
    int logId() {
        return logId;
    }

    /** True where the customer's own mobile or email is the address. */
    boolean hasOwnAddress() {
        return channel.defaultIdentifier() != null;
    }

    /**
     * The address of a subscription on a channel where Capillary names none (WeChat, LINE, push): the channel and the
     * account, so consent is kept per account, and iOS apart from Android. Null where the customer's own is used.
     */
    @Nullable
    String address(String accountId) {
        return hasOwnAddress() ? null : addressPrefix() + accountId;
    }

    /** The account of an {@link #address}, or "" for channels with the customer's own address. */
    String accountOf(String address) {
        return hasOwnAddress() || !address.startsWith(addressPrefix())
                ? ""
                : address.substring(addressPrefix().length());
    }

    private String addressPrefix() {
        return v2Name + ":";
    }
}

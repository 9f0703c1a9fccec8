package io.optledger.dialect.altcraft;

import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** How Altcraft names a subscription's channel and address in a request, and in its answers. */
final class AltcraftAddresses {

    private AltcraftAddresses() {}

    static @Nullable AltcraftChannel channelOrNull(AltcraftRequest request) {
        String name = request.text("channel");
        return name == null
                ? null
                : AltcraftChannel.of(name)
                        .orElseThrow(() ->
                                AltcraftRequest.invalid("channel", "one of email, sms, push, telegram_bot, whatsapp"));
    }

    /** The channel address a call gives, normalised as the channel's addresses are. */
    static String address(AltcraftChannel channel, AltcraftRequest request, String region) {
        String field = "";
        try {
            return switch (channel) {
                case EMAIL -> Channel.EMAIL.normaliseAddress(request.requiredText(field = "email"), region);
                case SMS -> Channel.SMS.normaliseAddress(request.requiredText(field = "phone"), region);
                case PUSH -> {
                    String provider = request.requiredText(field = "provider");
                    if (provider.contains(":")) {
                        throw AltcraftRequest.invalid("provider", "a provider name without ':'");
                    }
                    yield Channel.PUSH.normaliseAddress(
                            provider + ":" + request.requiredText(field = "subscription_id"), region);
                }
                case TELEGRAM_BOT ->
                    Channel.TELEGRAM.normaliseAddress(ccData(request, field = "id", "chat_id"), region);
                case WHATSAPP -> Channel.WHATSAPP.normaliseAddress(ccData(request, field = "phone"), region);
            };
        } catch (InvalidInput e) {
            throw AltcraftError.INVALID_FIELD.failure(field + ": " + e.getMessage());
        }
    }

    /**
     * {@code cc_data}: the value itself, or an object holding it under {@code name} or one of its {@code aliases}
     * (Altcraft's subscription object names a Telegram chat {@code id}; older integrations send {@code chat_id}).
     */
    private static String ccData(AltcraftRequest request, String name, String... aliases) {
        var node = request.node("cc_data");
        if (node.isObject()) {
            for (String key : Stream.concat(Stream.of(name), Stream.of(aliases)).toList()) {
                var value = node.get(key);
                if (value != null
                        && value.isValueNode()
                        && !value.isNull()
                        && !value.asString().isBlank()) {
                    return value.asString().strip();
                }
            }
        }
        if (node.isValueNode() && !node.isNull() && !node.asString().isBlank()) {
            return node.asString().strip();
        }
        throw AltcraftRequest.invalid(
                "cc_data",
                "an object with "
                        + String.join(
                                " or ",
                                Stream.concat(Stream.of(name), Stream.of(aliases))
                                        .toList()));
    }

    /** The subscription's address as the fields Altcraft names it by. */
    static Map<String, Object> addressFields(AltcraftChannel channel, String address) {
        Map<String, Object> fields = new LinkedHashMap<>();
        switch (channel) {
            case EMAIL -> fields.put("email", address);
            case SMS -> fields.put("phone", address);
            case PUSH -> {
                int colon = address.indexOf(':');
                fields.put("provider", colon < 0 ? "" : address.substring(0, colon));
                fields.put("subscription_id", address.substring(colon + 1));
            }
            // as Altcraft's subscription object documents it: {"id": 1}, a number where the chat id is one
            case TELEGRAM_BOT -> fields.put("cc_data", Map.of("id", chatId(address)));
            case WHATSAPP -> fields.put("cc_data", Map.of("phone", address));
        }
        return fields;
    }

    private static Object chatId(String address) {
        try {
            return Long.parseLong(address);
        } catch (NumberFormatException e) {
            return address;
        }
    }
}

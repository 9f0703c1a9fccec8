package io.optledger.consent;

import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What a consent command must be for any transaction to apply it: its times within range and not ahead of the clock
 * by more than the allowed skew, its address one of its channel's. Checked before a request queues for a group commit
 * (so bad input fails only its own request) and again as the group applies it.
 */
@Component
class CommandChecks {

    private final Clock clock;
    private final Duration maxClockSkew;

    CommandChecks(Clock clock, @Value("${optledger.consent.max-clock-skew:5m}") Duration maxClockSkew) {
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("optledger.consent.max-clock-skew cannot be negative: " + maxClockSkew);
        }
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /**
     * The command's address, normalised, else the contact's own for the channel. {@code normalised} holds the addresses
     * normalised before, by channel and address as given (normalising is a function of them and the region alone).
     */
    static @Nullable String address(
            ConsentCommand command,
            @Nullable Map<String, String> own,
            String region,
            int index,
            Map<String, String> normalised) {
        Channel channel = command.channel();
        if (command.address() != null) {
            String given = channel.name() + '\u0000' + command.address();
            String known = normalised.get(given);
            if (known != null) {
                return known;
            }
            try {
                String address = channel.normaliseAddress(command.address(), region);
                normalised.put(given, address);
                return address;
            } catch (InvalidInput e) {
                throw new InvalidInput("items[" + index + "].address", e.getMessage());
            }
        }
        String identifier = channel.defaultIdentifier();
        return identifier == null || own == null ? null : own.get(identifier);
    }

    /** Refuses a batch with a time no change can carry: out of range, or an occurredAt in the future beyond the skew. */
    void times(List<ConsentCommand> commands) {
        Instant now = clock.instant();
        Instant latest = now.plus(maxClockSkew);
        for (int i = 0; i < commands.size(); i++) {
            ConsentCommand command = commands.get(i);
            if (command.occurredAt() != null) {
                String field = "items[" + i + "].occurredAt";
                Timestamps.checked(field, command.occurredAt());
                if (command.occurredAt().isAfter(latest)) {
                    throw new InvalidInput(
                            field,
                            command.occurredAt() + " is in the future: a change can be dated at most " + maxClockSkew
                                    + " ahead of the server's clock (" + now + ")");
                }
            }
            if (command.suspendedUntil() != null) {
                Timestamps.checked("items[" + i + "].suspendedUntil", command.suspendedUntil());
            }
        }
    }
}

package io.optledger.dialect.altcraft;

import io.optledger.consent.Status;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Altcraft's subscription statuses; {@code unconfirmed} is an opt-in awaiting its confirmation. */
enum AltcraftStatus {
    SUBSCRIBED(Status.SUBSCRIBED),
    UNSUBSCRIBED(Status.UNSUBSCRIBED),
    SUSPENDED(Status.SUSPENDED),
    UNCONFIRMED(Status.PENDING);

    private final Status status;

    AltcraftStatus(Status status) {
        this.status = status;
    }

    static Optional<AltcraftStatus> of(@Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (AltcraftStatus candidate : values()) {
            if (candidate.apiName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Altcraft's status for a state; a detached subscription (its address no longer the profile's) is unsubscribed. */
    static AltcraftStatus of(Status status) {
        if (status == Status.DETACHED) {
            return UNSUBSCRIBED;
        }
        for (AltcraftStatus candidate : values()) {
            if (candidate.status == status) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no Altcraft status for " + status);
    }

    String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    Status status() {
        return status;
    }
}

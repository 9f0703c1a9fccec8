package io.optledger.dialect.capillary;

import io.optledger.topic.TopicKind;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Capillary's message priorities: TRANS for personalised messages, BULK for campaigns. */
enum Priority {
    TRANS(TopicKind.TRANSACTIONAL),
    BULK(TopicKind.MARKETING);

    private final TopicKind kind;

    Priority(TopicKind kind) {
        this.kind = kind;
    }

    static Optional<Priority> of(@Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Priority priority : values()) {
            if (priority.name().equalsIgnoreCase(name.strip())) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }

    TopicKind kind() {
        return kind;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.optledger.dialect.capillary;

import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import io.optledger.topic.Topics.TopicDraft;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * One topic per (org unit, priority), created on first use: {@code capillary.ou200031782.bulk}. v1.1, and v2 with an
 * orgUnitId of -1 (or any id below 1), act on the org itself: {@code capillary.bulk}, {@code capillary.trans}. TRANS
 * topics are transactional and opted in by default, as in Capillary; BULK topics are marketing and opted out.
 */
@Component
class CapillaryTopics {

    /** Capillary's org unit id for the org itself. */
    static final long ORG = -1;

    private static final Pattern KEY = Pattern.compile("capillary\\.(?:ou(\\d+)\\.)?(trans|bulk)");

    private final Topics topics;

    CapillaryTopics(Topics topics) {
        this.topics = topics;
    }

    /** An org unit's priority: what a Capillary subscription is to. */
    record Ref(long orgUnitId, Priority priority) {

        Ref {
            orgUnitId = orgUnitId < 1 ? ORG : orgUnitId;
        }

        String key() {
            return orgUnitId == ORG ? "capillary." + priority.key() : "capillary.ou" + orgUnitId + "." + priority.key();
        }
    }

    /** The Capillary topic a topic key stands for, if it is one. */
    static Optional<Ref> parse(String key) {
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long orgUnit;
        try {
            orgUnit = matcher.group(1) == null ? ORG : Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            // a topic someone named like Capillary's, with an org unit no Capillary id can be: not a Capillary topic
            return Optional.empty();
        }
        return Priority.of(matcher.group(2)).map(priority -> new Ref(orgUnit, priority));
    }

    void ensure(long workspaceId, Collection<Ref> refs) {
        refs.stream().distinct().forEach(ref -> topics.ensure(workspaceId, draft(ref)));
    }

    /** Whether a customer never asked is subscribed: the topic's default, or the one it will be created with. */
    boolean defaultOptIn(long workspaceId, Ref ref) {
        return topics.find(workspaceId, ref.key())
                .map(Topic::defaultOptIn)
                .orElse(draft(ref).defaultOptIn());
    }

    private static TopicDraft draft(Ref ref) {
        String unit = ref.orgUnitId() == ORG ? "org" : "org unit " + ref.orgUnitId();
        return new TopicDraft(
                ref.key(),
                "Capillary " + ref.priority() + " (" + unit + ")",
                ref.priority().kind(),
                ref.priority() == Priority.TRANS,
                false,
                Set.of());
    }
}

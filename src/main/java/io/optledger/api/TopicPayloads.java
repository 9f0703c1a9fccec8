package io.optledger.api;

import io.optledger.contact.Channel;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The native API's bodies for topics. */
public final class TopicPayloads {

    private TopicPayloads() {}

    public record CreateTopic(
            @NotBlank String key,
            @NotBlank @Size(max = 200) String name,

            @Nullable @Size(min = 1, max = Topic.MAX_DESCRIPTION)
            String description,

            @NotNull TopicKind kind,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn) {}

    public record UpdateTopic(
            @Nullable @Size(min = 1, max = 200) String name,
            @Nullable @Size(max = Topic.MAX_DESCRIPTION) String description,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn) {}

    public record TopicList(List<Topic> topics) {}
}

package io.optledger.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.optledger.access.internal.JdbcWorkspaces;
import io.optledger.contact.PhoneNumbers;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates workspaces with their default topics and a first admin key. */
@Service
public class Workspaces {

    private final JdbcWorkspaces workspaces;
    private final ApiKeys apiKeys;
    private final Topics topics;
    private final Clock clock;
    // a workspace never changes (name, region), so it is cached for good: its region is read on every write, its name
    // on every message
    private final Cache<Long, Workspace> byId =
            Caffeine.newBuilder().maximumSize(10_000).build();

    Workspaces(JdbcWorkspaces workspaces, ApiKeys apiKeys, Topics topics, Clock clock) {
        this.workspaces = workspaces;
        this.apiKeys = apiKeys;
        this.topics = topics;
        this.clock = clock;
    }

    /** A new workspace with the topics {@code transactional} and {@code marketing}, and an admin key. */
    @Transactional
    public CreatedWorkspace create(String name, String defaultRegion) {
        Workspace workspace = workspaces.insert(name.strip(), region(defaultRegion), clock.instant());
        topics.createDefaults(workspace.id());
        IssuedApiKey adminKey = apiKeys.issue(workspace.id(), "admin", java.util.EnumSet.of(Scope.ADMIN));
        return new CreatedWorkspace(workspace, adminKey);
    }

    public Workspace get(long id) {
        return byId.get(id, key -> workspaces.findById(key).orElseThrow(() -> new NotFound("no workspace " + key)));
    }

    /** The region national phone numbers are read in. */
    public String defaultRegion(long workspaceId) {
        return get(workspaceId).defaultRegion();
    }

    private static String region(String defaultRegion) {
        String region = defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (!PhoneNumbers.isSupportedRegion(region)) {
            throw new InvalidInput(
                    "defaultRegion", "'" + defaultRegion + "' is not an ISO 3166 region with phone numbering");
        }
        return region;
    }

    /** A workspace and the admin key issued with it. */
    public record CreatedWorkspace(Workspace workspace, IssuedApiKey adminKey) {}
}

package io.optledger.access;

import io.optledger.access.internal.JdbcWorkspaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.StringUtils;

/**
 * On the first start against an empty database, creates the default workspace and a key with every scope. Runs under
 * an advisory lock, so nodes starting together create one, and a restart creates none.
 */
@Component
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final JdbcWorkspaces workspaces;
    private final Workspaces workspaceService;
    private final ApiKeys apiKeys;
    private final String configuredKey;

    Bootstrap(
            JdbcWorkspaces workspaces,
            Workspaces workspaceService,
            ApiKeys apiKeys,
            @Value("${optledger.bootstrap-api-key:}") String configuredKey) {
        this.workspaces = workspaces;
        this.workspaceService = workspaceService;
        this.apiKeys = apiKeys;
        this.configuredKey = configuredKey;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        workspaces.lockForBootstrap();
        if (workspaces.count() > 0) {
            return;
        }
        Workspace workspace = workspaceService.create("default", "US").workspace();
        if (StringUtils.hasText(configuredKey)) {
            apiKeys.issue(workspace.id(), "bootstrap", Scope.all(), configuredKey);
            log.info("Bootstrap: created workspace {} with the key from OPTLEDGER_BOOTSTRAP_API_KEY", workspace.id());
        } else {
            IssuedApiKey key = apiKeys.issue(workspace.id(), "bootstrap", Scope.all());
            // printed once, on purpose, outside the log masking: this is the only time the secret exists
            System.out.println("""

                    OptLedger bootstrap API key (shown once, keep it safe):
                        %s
                    Use it as:  curl -H 'Authorization: Bearer %s' http://localhost:8080/v1/topics
                    """.formatted(key.secret(), key.secret()));
        }
    }
}

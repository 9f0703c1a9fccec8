package io.optledger.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An {@link ApiTest} whose every test method gets a fresh workspace and a client for the running service. */
@ApiTest
public abstract class WorkspaceApiTest {

    @LocalServerPort
    protected int port;

    protected ApiClient api;
    protected TestWorkspace workspace;

    @BeforeEach
    void createWorkspace() {
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api, region());
    }

    /** The workspace's default phone region. */
    protected String region() {
        return "US";
    }
}

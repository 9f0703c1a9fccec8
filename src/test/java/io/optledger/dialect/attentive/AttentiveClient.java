package io.optledger.dialect.attentive;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import java.util.Map;

/** Calls the Attentive dialect with the workspace's key, and sets up its sign-up units through the native API. */
record AttentiveClient(TestWorkspace workspace) {

    ApiClient.Response post(String path, String json) {
        return workspace.api().post("/attentive/v1/" + path, workspace.adminKey(), json);
    }

    ApiClient.Response get(String pathAndQuery) {
        return workspace.api().get("/attentive/v1/" + pathAndQuery, workspace.adminKey());
    }

    /** Creates a sign-up unit and answers its id, the signUpSourceId. */
    String unit(String channel, String type, String language, String country, boolean singleOptIn) {
        ApiClient.Response response = workspace
                .api()
                .post(
                        "/v1/sign-up-units",
                        workspace.adminKey(),
                        ApiClient.json(Map.of(
                                "name",
                                type + " " + channel + " " + language + "-" + country,
                                "channel",
                                channel,
                                "subscriptionType",
                                type,
                                "locale",
                                Map.of("language", language, "country", country),
                                "singleOptInAllowed",
                                singleOptIn,
                                "disclosure",
                                "By signing up you agree to receive recurring automated messages.")));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asString();
    }
}

package io.optledger.dialect.altcraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.TestWorkspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.xml.XmlMapper;

/** Calls Altcraft methods as an Altcraft integration does, with the token in the body, and sets up what they name. */
record AltcraftClient(TestWorkspace workspace, String token) {

    static final String BASE = "/altcraft/api/v1.1/";
    private static final XmlMapper XML = XmlMapper.builder().build();

    static AltcraftClient of(TestWorkspace workspace) {
        return new AltcraftClient(workspace, workspace.adminKey());
    }

    ApiClient.Response call(String method, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.putIfAbsent("token", token);
        return workspace
                .api()
                .send("POST", BASE + method, Map.of("Content-Type", "application/json"), ApiClient.json(body));
    }

    ApiClient.Response xml(String method, String xml) {
        return workspace.api().send("POST", BASE + method, Map.of("Content-Type", "application/xml"), xml);
    }

    /** The {@code data} of a successful call. */
    JsonNode data(String method, Map<String, Object> fields) {
        ApiClient.Response response = call(method, fields);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("error").asInt()).isZero();
        return response.json().get("data");
    }

    void database(long id) {
        ApiClient.Response response = workspace
                .api()
                .send(
                        "PUT",
                        "/v1/altcraft/databases/" + id,
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                        ApiClient.json(Map.of("name", "db " + id)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    void resource(long id, String topic, List<String> channels, List<String> categories) {
        ApiClient.Response response = workspace
                .api()
                .send(
                        "PUT",
                        "/v1/altcraft/resources/" + id,
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                        ApiClient.json(Map.of(
                                "name",
                                "resource " + id,
                                "topic",
                                topic,
                                "channels",
                                channels,
                                "categories",
                                categories)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** Adds a profile through profiles/add and answers its profile_id. */
    String profile(long dbId, Map<String, Object> data) {
        return data("profiles/add", Map.of("db_id", dbId, "data", data))
                .get("profile_id")
                .asString();
    }

    static JsonNode xmlTree(String xml) {
        return XML.readTree(xml);
    }
}

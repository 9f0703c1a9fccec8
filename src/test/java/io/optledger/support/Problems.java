package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {}

    /** Asserts a problem response's status and type, and that it carries no stack trace. */
    public static void assertProblem(ApiClient.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("https://optledger.dev/problems/" + type);
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}

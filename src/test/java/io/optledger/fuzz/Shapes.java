package io.optledger.fuzz;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Each API's error shape, as its golden files show it: what an error answer of a path must look like. */
final class Shapes {

    private Shapes() {}

    /** What is wrong with an error answer's shape for the API that owns the path, or null when nothing is. */
    static @Nullable String mismatch(String target, RawHttp.Response response) {
        String text = response.text();
        if (text.contains("Exception") || text.contains("\tat ")) {
            return "a stack trace or exception name in the body";
        }
        if (target.startsWith("/altcraft/")) {
            if (response.contentType().startsWith("application/xml")) {
                return text.contains("<error>") && text.contains("<error_text>") ? null : "not Altcraft's XML error";
            }
            JsonNode body = json(response);
            return body != null && body.path("error").asInt(0) != 0 && body.has("error_text")
                    ? null
                    : "not Altcraft's {error, error_text}";
        }
        if (target.startsWith("/capillary/") && response.contentType().startsWith("application/xml")) {
            // Capillary's format=xml: the same shapes under <response>
            boolean v11 =
                    text.contains("<response><status><success>false</success><code>") && text.contains("<message>");
            boolean v2 = text.contains("<errors><error><status>false</status><message>") && text.contains("<warnings");
            return (target.startsWith("/capillary/v1.1/") ? v11 : v2) ? null : "not Capillary's XML error";
        }
        JsonNode body = json(response);
        if (body == null) {
            return "no JSON body (" + response.contentType() + "): " + text;
        }
        if (target.startsWith("/capillary/v1.1/")) {
            JsonNode status = body.path("response").path("status");
            return status.path("success").isBoolean()
                            && !status.path("success").asBoolean()
                            && status.has("code")
                            && status.has("message")
                    ? null
                    : "not Capillary v1.1's response.status";
        }
        if (target.startsWith("/capillary/")) {
            JsonNode errors = body.path("errors");
            return errors.isArray()
                            && !errors.isEmpty()
                            && errors.get(0).has("code")
                            && errors.get(0).has("message")
                            && body.has("warnings")
                    ? null
                    : "not Capillary v2's errors[]";
        }
        if (target.startsWith("/attentive/")) {
            return body.path("error").has("id") && body.path("error").has("message")
                    ? null
                    : "not Attentive's {error: {id, message}}";
        }
        return response.contentType().startsWith("application/problem+json")
                        && body.path("type").asString("").startsWith("https://optledger.dev/problems/")
                ? null
                : "not a problem+json with an optledger type (" + response.contentType() + ")";
    }

    /** Capillary's own "every item refused" answer, a 500 by its contract (docs/dialects/capillary.md). */
    static boolean isCapillaryAllFailed(String target, RawHttp.Response response) {
        return target.startsWith("/capillary/")
                && response.status() == 500
                && response.text().contains("All requests have failed due to errors")
                && mismatch(target, response) == null;
    }

    private static @Nullable JsonNode json(RawHttp.Response response) {
        try {
            return response.json();
        } catch (JacksonException e) {
            return null;
        }
    }
}

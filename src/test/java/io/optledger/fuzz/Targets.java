package io.optledger.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The endpoints to fuzz, each with a request known to be well-formed: the native API's from its OpenAPI document, and
 * each dialect's from its controllers and docs/dialects. Values that depend on the test's workspace are placeholders
 * ({@code {{bearer}}}, {@code {{basic}}}, {@code {{contact}}}, {@code {{system}}}) bound just before sending.
 */
final class Targets {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String EMAIL = "fuzz@example.com";

    private Targets() {}

    /**
     * One endpoint. {@code path} may hold {@code {name}} variables, {@code optional} names query parameters the
     * endpoint takes but the base request leaves out; {@code bodyFields} names fields the body may carry.
     */
    record Target(
            String method,
            String path,
            Map<String, String> pathVariables,
            Map<String, String> query,
            List<String> optional,
            Map<String, String> headers,
            @Nullable String body) {}

    // ---- the dialects

    static List<Target> dialects() {
        List<Target> targets = new ArrayList<>();
        Map<String, String> basic = Map.of("Authorization", "Basic {{basic}}");
        Map<String, String> basicJson = Map.of("Authorization", "Basic {{basic}}", "Content-Type", "application/json");
        String v11Update = """
                {"root":{"subscription":[{"email":"%s","priority":"bulk","scope":"all","channel":"email","is_subscribed":"1"}]}}""".formatted(EMAIL);
        String v2Update = """
                {"communicationId":-1,"campaignId":-1,"reason":"fuzz","scope":{"scope":"USER","subScope":"NONE"},\
                "subscriptions":[{"channel":"EMAIL","priority":"BULK","type":"OPTIN","orgUnitId":200031782,\
                "sourceName":"FACEBOOK","accountId":"01"}]}""";
        String customer = """
                {"profiles":[{"firstName":"Fuzz","lastName":"Test","source":"INSTORE",\
                "identifiers":[{"type":"email","value":"%s"}]}]}""".formatted(EMAIL);
        Map<String, String> lookup = query("identifierName", "email", "identifierValue", "fuzz%40example.com");
        Map<String, String> user = Map.of("userId", "{{contact}}");
        List<String> none = List.of();
        targets.add(new Target(
                "POST",
                "/capillary/v1.1/customer/subscriptions",
                Map.of(),
                query("format", "json"),
                none,
                basicJson,
                v11Update));
        // Capillary's format=xml: the same update as an XML body, answered (and refused) in XML
        targets.add(new Target(
                "POST",
                "/capillary/v1.1/customer/subscriptions",
                Map.of(),
                query("format", "xml"),
                none,
                Map.of("Authorization", "Basic {{basic}}", "Content-Type", "application/xml"),
                """
                <root><subscription><email>%s</email><priority>bulk</priority><scope>all</scope><channel>email</channel>                <is_subscribed>1</is_subscribed></subscription></root>""".formatted(EMAIL)));
        targets.add(new Target(
                "GET",
                "/capillary/v1.1/customer/subscriptions",
                Map.of(),
                query("format", "json", "email", "fuzz%40example.com"),
                List.of("mobile", "external_id", "id"),
                basic,
                null));
        targets.add(new Target(
                "POST", "/capillary/v2/customers", Map.of(), query("format", "json"), none, basicJson, customer));
        targets.add(
                new Target("GET", "/capillary/v2/customers/lookup", Map.of(), lookup, List.of("source"), basic, null));
        targets.add(new Target("GET", "/capillary/v2/customers/{userId}", user, Map.of(), none, basic, null));
        targets.add(new Target(
                "POST",
                "/capillary/v2/customers/{userId}/subscriptions",
                user,
                query("format", "json"),
                none,
                basicJson,
                v2Update));
        targets.add(new Target(
                "POST",
                "/capillary/v2/customers/lookup/subscriptions",
                Map.of(),
                lookup,
                List.of("source", "accountId"),
                basicJson,
                v2Update));
        targets.add(
                new Target("GET", "/capillary/v2/customers/{userId}/subscriptions", user, Map.of(), none, basic, null));
        targets.add(new Target(
                "GET",
                "/capillary/v2/customers/lookup/subscriptions",
                Map.of(),
                lookup,
                List.of("source", "accountId"),
                basic,
                null));
        targets.add(new Target(
                "GET",
                "/capillary/v2/customers/{userId}/subscriptionStatusChangeLog",
                user,
                Map.of(),
                none,
                basic,
                null));

        Map<String, String> json = Map.of("Content-Type", "application/json");
        String fields = """
                {"token":"{{bearer}}","db_id":1,"resource_id":1,"channel":"email","email":"%s",\
                "status":"subscribed","limit":10}""".formatted(EMAIL);
        for (String method : List.of(
                "subscriptions/set",
                "subscriptions/get",
                "subscriptions/list",
                "subscriptions/list_all",
                "subscriptions/delete",
                "subscriptions/undelete",
                "subscriptions/suspend_all",
                "subscriptions/unsuspend_all",
                "subscribers/history_get",
                "profiles/get")) {
            targets.add(new Target(
                    "POST",
                    "/altcraft/api/v1.1/" + method,
                    Map.of(),
                    Map.of(),
                    List.of("format", "token"),
                    json,
                    fields));
        }
        targets.add(new Target(
                "POST", "/altcraft/api/v1.1/profiles/add", Map.of(), Map.of(), List.of("format"), json, """
                {"token":"{{bearer}}","db_id":1,"data":{"email":"%s","name":"Fuzz","plan":"gold"}}""".formatted(
                                EMAIL)));
        targets.add(new Target(
                "POST",
                "/altcraft/api/v1.1/subscriptions/set",
                Map.of(),
                Map.of(),
                List.of("format"),
                Map.of("Content-Type", "application/xml"),
                """
                <xml><token>{{bearer}}</token><db_id>1</db_id><resource_id>1</resource_id><channel>email</channel>\
                <email>%s</email><status>subscribed</status></xml>""".formatted(EMAIL)));

        Map<String, String> bearer = Map.of("Authorization", "Bearer {{bearer}}");
        Map<String, String> bearerJson =
                Map.of("Authorization", "Bearer {{bearer}}", "Content-Type", "application/json");
        targets.add(new Target(
                "POST", "/attentive/v1/subscriptions", Map.of(), Map.of(), none, bearerJson, """
                {"user":{"email":"%s"},"signUpSourceId":"fuzz","externalIdentifiers":{"clientUserId":"c1",\
                "customIdentifiers":[{"name":"crm","value":"v"}]},"locale":{"language":"en","country":"US"},\
                "subscriptionType":"MARKETING","singleOptIn":true}""".formatted(EMAIL)));
        targets.add(new Target(
                "GET",
                "/attentive/v1/subscriptions",
                Map.of(),
                query("email", "fuzz%40example.com"),
                List.of("phone"),
                bearer,
                null));
        targets.add(new Target(
                "POST", "/attentive/v1/subscriptions/unsubscribe", Map.of(), Map.of(), none, bearerJson, """
                {"user":{"email":"%s"},"subscriptions":[{"type":"MARKETING","channel":"EMAIL"}],\
                "notification":{"language":"en","disabled":true}}""".formatted(
                                EMAIL)));
        return targets;
    }

    // ---- the native API, from its OpenAPI document

    /** Bodies the schema alone cannot make meaningful (one of several contact names, say). */
    private static final Map<String, String> BODIES = Map.of(
            "POST /v1/subscriptions/changes",
            """
            {"items":[{"email":"%s","channel":"EMAIL","topic":"news","action":"OPT_IN","source":"fuzz"}]}""".formatted(EMAIL),
            "POST /v1/contacts",
            """
            {"email":"%s","attributes":{"plan":"gold","visits":3}}""".formatted(EMAIL),
            "POST /v1/eligibility/batch",
            """
            {"lookups":[{"channel":"EMAIL","topic":"news","email":"%s"}]}""".formatted(EMAIL),
            "POST /v1/inbound/sms",
            """
            {"from":"+14155552671","to":"+14155550000","text":"STOP"}""");

    /** Base values by parameter or field name; anything else is made from its schema. */
    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("id", "{{contact}}"),
            Map.entry("userId", "{{contact}}"),
            Map.entry("contactId", "{{contact}}"),
            Map.entry("key", "news"),
            Map.entry("topic", "news"),
            Map.entry("dbId", "1"),
            Map.entry("resourceId", "1"),
            Map.entry("template", "help"),
            Map.entry("locale", "en-US"),
            Map.entry("email", EMAIL),
            Map.entry("address", EMAIL),
            Map.entry("recipient", EMAIL),
            Map.entry("phone", "+14155552671"),
            Map.entry("identifierName", "email"),
            Map.entry("identifierValue", EMAIL),
            Map.entry("limit", "10"),
            Map.entry("afterSeq", "0"));

    static List<Target> nativeApi(JsonNode document) {
        List<Target> targets = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                    String template = path.getKey();
                    if (template.equals("/v1/api-keys/{id}")) {
                        return; // revoking a key by a guessed id could revoke the fuzzer's own
                    }
                    Map<String, String> variables = new LinkedHashMap<>();
                    Map<String, String> query = new LinkedHashMap<>();
                    List<String> optional = new ArrayList<>();
                    for (JsonNode parameter : operation.getValue().path("parameters")) {
                        String name = parameter.path("name").asString();
                        String value = encode(value(name, parameter.path("schema"), schemas));
                        switch (parameter.path("in").asString()) {
                            case "path" -> variables.put(name, value);
                            case "query" -> {
                                if (parameter.path("required").asBoolean()) {
                                    query.put(name, value);
                                } else {
                                    optional.add(name);
                                }
                            }
                            default -> {}
                        }
                    }
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put(
                            "Authorization",
                            template.equals("/v1/workspaces") ? "Bearer {{system}}" : "Bearer {{bearer}}");
                    String body = null;
                    JsonNode content = operation.getValue().path("requestBody").path("content");
                    if (!content.isMissingNode()) {
                        headers.put("Content-Type", "application/json");
                        body = BODIES.get(method + " " + template);
                        if (body == null) {
                            body = JSON.writeValueAsString(
                                    example("", content.path("application/json").path("schema"), schemas, 0));
                        }
                    }
                    targets.add(new Target(method, template, variables, query, optional, headers, body));
                }));
        return targets;
    }

    private static String value(String name, JsonNode schema, JsonNode schemas) {
        String known = VALUES.get(name);
        if (known != null) {
            return known;
        }
        JsonNode example = example(name, schema, schemas, 0);
        return example.isString() ? example.asString() : example.toString();
    }

    /** A plausible value for a schema: required properties only, so one added field is the only change. */
    private static JsonNode example(String name, JsonNode schema, JsonNode schemas, int depth) {
        if (schema.has("$ref")) {
            String ref = schema.path("$ref").asString();
            return example(name, schemas.path(ref.substring(ref.lastIndexOf('/') + 1)), schemas, depth + 1);
        }
        if (VALUES.containsKey(name) && !VALUES.get(name).startsWith("{{")) {
            String known = VALUES.get(name);
            return known.chars().allMatch(Character::isDigit)
                    ? NODES.numberNode(Long.parseLong(known))
                    : NODES.stringNode(known);
        }
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").asString("object");
        return switch (type) {
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.5);
            case "boolean" -> NODES.booleanNode(true);
            case "string" ->
                NODES.stringNode(
                        switch (schema.path("format").asString("")) {
                            case "date-time" -> "2026-01-01T00:00:00Z";
                            case "email" -> EMAIL;
                            default -> "fuzz";
                        });
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 6) {
                    array.add(example(name, schema.path("items"), schemas, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 6) {
                    for (JsonNode required : schema.path("required")) {
                        String property = required.asString();
                        object.set(
                                property,
                                example(property, schema.path("properties").path(property), schemas, depth + 1));
                    }
                }
                yield object;
            }
        };
    }

    private static String encode(String value) {
        return value.startsWith("{{")
                ? value
                : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }
}

package io.optledger.fuzz;

import io.optledger.fuzz.Targets.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Breaks one part of a well-formed request at a time, chosen by a seeded {@link Random}: a path variable, a query
 * parameter or the whole query, the Accept, Content-Type or Authorization header, one body field (or an added one), or
 * the whole body. Out-of-range dates are left to the date-range tests, body sizes to the limit tests.
 */
final class Mutations {

    /** A request to send, with workspace placeholders still in it, and what was broken. */
    record Case(String name, RawHttp.Request request) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MARK = "@@fuzz@@";

    static final List<String> JSON_VALUES = List.of(
            "\"\\u0000\"",
            "\"a\\u0000b\"",
            "\"\\ud800\"",
            "\"x\\udc00\"",
            "\"\\ud83d\\ude00\"",
            "\"\"",
            "\" \"",
            "\"" + "x".repeat(65) + "\"",
            "\"" + "x".repeat(257) + "\"",
            "\"" + "é".repeat(3000) + "\"",
            "99999999999999999999",
            "-99999999999999999999",
            "9223372036854775808",
            "1e400",
            "-1",
            "0",
            "1.5",
            "null",
            "true",
            "[]",
            "{}",
            "[\"\\u0000\"]",
            "{\"\\u0000\":\"\\u0000\"}",
            "{\"k\":\"\\ud800\"}",
            "\"%00\"",
            // dates out of range or beyond the clock skew: refused with a 400, never stored shifted
            "\"0000-01-01T00:00:00Z\"",
            "\"-0001-01-01T00:00:00Z\"",
            "\"1500-01-01T00:00:00Z\"",
            "\"+999999999-12-31T23:59:59Z\"",
            "\"2100-01-01T00:00:00Z\"",
            "\"not a value\"",
            "\"99999999999999999999\"",
            "\"-1\"",
            "\"\\u202e\"");

    static final List<String> QUERY_VALUES = List.of(
            "%00",
            "a%00b",
            "%",
            "%zz",
            "%C3%28",
            "%ED%A0%80",
            "%FF",
            "99999999999999999999",
            "9223372036854775808",
            "-1",
            "0",
            "",
            "x".repeat(300),
            "1e400",
            "%F0%9F%92%A5",
            "+",
            "a%20b",
            "xml",
            "EMAIL");

    static final List<String> QUERIES = List.of(
            "=x", "&", "&&=", "%=1", "a=%", "%zz=1", "%00=1", "=", "a&a&a", "format=xml", "format=%00", "%C3%28=1");

    static final List<String> PATH_VALUES = List.of(
            "%00",
            "99999999999999999999",
            "9223372036854775808",
            "-1",
            "0",
            "abc",
            "%ED%A0%80",
            "%C3%28",
            "%20",
            "1.5",
            "x".repeat(300),
            "%F0%9F%92%A5");

    static final List<String> ACCEPTS = List.of(
            "text/html",
            "image/png",
            "application/xml",
            "text/*",
            "*/*",
            "application/json;q=0",
            "foo",
            "",
            ";;",
            "*/*;q=abc",
            "application/json, foo/",
            "text/html;charset=nope",
            "application/problem+json",
            "/",
            "a/b/c",
            "text/html, image/png;q=0.9");

    static final List<String> CONTENT_TYPES = List.of(
            "*/*",
            "application/*",
            "text/*",
            "text/html",
            "text/plain",
            "foo",
            "",
            "application/json; charset=nope",
            "application/json; charset=\"",
            "application/json; charset=UTF-16",
            "application/json; charset=ISO-8859-1",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/octet-stream",
            "/json");

    static final List<String> AUTHORIZATIONS = List.of(
            "", "Bearer", "Bearer ", "Bearer x", "Basic !!!", "Basic YQ==", "Basic Og==", "Digest x", "Bearer \u00e9");

    /** Other headers the service reads: idempotency, request id, user agent (kept on events), forwarding. */
    static final List<String> HEADER_NAMES =
            List.of("Idempotency-Key", "X-Request-Id", "User-Agent", "X-Forwarded-For", "Accept-Charset");

    static final List<String> HEADER_VALUES = List.of(
            "", " ", "x".repeat(300), "x".repeat(5000), "\u00e9\u00ff", "%00", "a,b,,", "not-an-ip", "1.2.3.4, ::1");

    static final List<byte[]> BODIES = List.of(
            new byte[0],
            "{".getBytes(StandardCharsets.UTF_8),
            "[]".getBytes(StandardCharsets.UTF_8),
            "null".getBytes(StandardCharsets.UTF_8),
            "\"x\"".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0x7B},
            new byte[] {0},
            "{\"\\u0000\":1}".getBytes(StandardCharsets.UTF_8),
            "<xml><a>&#0;</a></xml>".getBytes(StandardCharsets.UTF_8),
            "<xml><a>&#xD800;</a></xml>".getBytes(StandardCharsets.UTF_8),
            "<xml>\u0000</xml>".getBytes(StandardCharsets.UTF_8),
            "<!DOCTYPE x [<!ENTITY a 'b'>]><xml>&a;</xml>".getBytes(StandardCharsets.UTF_8),
            "<xml><token>{{bearer}}</token><db_id>99999999999999999999</db_id></xml>".getBytes(StandardCharsets.UTF_8),
            "a=%zz&=x".getBytes(StandardCharsets.UTF_8));

    static final List<String> XML_TEXTS = List.of(
            "&#0;", "&#xD800;", "\u0000", "]]>", "&bogus;", "<a", "99999999999999999999", "x".repeat(300), "", "-1");

    private static final Pattern XML_TEXT = Pattern.compile(">([^<]*)<");

    private final Random random;

    Mutations(Random random) {
        this.random = random;
    }

    Case next(Target target) {
        Map<String, String> variables = new LinkedHashMap<>(target.pathVariables());
        Map<String, String> query = new LinkedHashMap<>(target.query());
        Map<String, String> headers = new LinkedHashMap<>(target.headers());
        String rawQuery = null;
        byte[] body = target.body() == null ? new byte[0] : target.body().getBytes(StandardCharsets.UTF_8);
        String name;
        int kind = random.nextInt(target.body() == null ? 7 : 10);
        if (kind == 0 && !variables.isEmpty()) {
            String variable = pick(new ArrayList<>(variables.keySet()));
            String value = pick(PATH_VALUES);
            variables.put(variable, value);
            name = "path " + variable + "=" + value;
        } else if (kind <= 1) {
            List<String> names = new ArrayList<>(query.keySet());
            names.addAll(target.optional());
            names.add("unknown");
            String parameter = pick(names);
            String value = pick(QUERY_VALUES);
            query.put(parameter, value);
            name = "query " + parameter + "=" + value;
        } else if (kind == 2) {
            rawQuery = pick(QUERIES);
            name = "query " + rawQuery;
        } else if (kind == 3) {
            String value = pick(ACCEPTS);
            headers.put("Accept", value);
            name = "Accept: " + value;
        } else if (kind == 4) {
            String value = pick(CONTENT_TYPES);
            headers.put("Content-Type", value);
            name = "Content-Type: " + value;
        } else if (kind == 5 && random.nextBoolean()) {
            String value = pick(AUTHORIZATIONS);
            headers.put("Authorization", value);
            name = "Authorization: " + value;
        } else if (kind == 5) {
            String header = pick(HEADER_NAMES);
            String value = pick(HEADER_VALUES);
            headers.put(header, value);
            name = header + ": " + value;
        } else if (kind == 6 || kind == 7) {
            headers.put("Accept", pick(List.of("text/html", "image/png", "*/*", "application/json")));
            if (target.body() != null) {
                body = field(target.body());
            }
            name = "Accept: " + headers.get("Accept") + " with a broken field";
        } else if (kind == 8) {
            body = pick(BODIES);
            name = "body " + new String(body, StandardCharsets.UTF_8);
        } else {
            body = field(target.body());
            name = "field";
        }
        String path = target.path();
        for (var variable : variables.entrySet()) {
            path = path.replace("{" + variable.getKey() + "}", variable.getValue());
        }
        StringBuilder queryString = new StringBuilder();
        query.forEach((key, value) -> queryString
                .append(queryString.isEmpty() ? "" : "&")
                .append(key)
                .append('=')
                .append(value));
        if (rawQuery != null) {
            queryString.append(queryString.isEmpty() ? "" : "&").append(rawQuery);
        }
        String requestTarget = queryString.isEmpty() ? path : path + "?" + queryString;
        if (name.equals("field") || name.endsWith("broken field")) {
            name = name + " " + new String(body, StandardCharsets.UTF_8);
        }
        return new Case(
                target.method() + " " + target.path() + ": " + abbreviate(name),
                new RawHttp.Request(target.method(), requestTarget, headers, body));
    }

    /** The body with one field replaced, or one unknown field added. */
    private byte[] field(String body) {
        if (body.startsWith("<")) {
            List<int[]> texts = new ArrayList<>();
            Matcher matcher = XML_TEXT.matcher(body);
            while (matcher.find()) {
                texts.add(new int[] {matcher.start(1), matcher.end(1)});
            }
            int[] text = pick(texts);
            return (body.substring(0, text[0]) + pick(XML_TEXTS) + body.substring(text[1]))
                    .getBytes(StandardCharsets.UTF_8);
        }
        JsonNode tree = JSON.readTree(body);
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode container = pick(containers);
        String value = pick(JSON_VALUES);
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.propertyNames());
            if (names.isEmpty() || random.nextInt(4) == 0) {
                object.put(pick(List.of("unknownField", "source", "reason", "attributes", "note", MARK + "k")), MARK);
            } else {
                object.put(pick(names), MARK);
            }
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty()) {
                array.add(MARK);
            } else {
                array.set(random.nextInt(array.size()), MARK);
            }
        }
        String json = JSON.writeValueAsString(tree);
        json = json.replace("\"" + MARK + "k\"", pick(List.of("\"\\u0000\"", "\"\\ud800\"", "\"\"", "\"k\\u0000\"")));
        return json.replace("\"" + MARK + "\"", value).getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainer()) {
            containers.add(node);
            for (JsonNode child : node) {
                collect(child, containers);
            }
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        String printable = text.replace("\u0000", "\\u0000");
        return printable.length() > 160 ? printable.substring(0, 160) + "…" : printable;
    }
}

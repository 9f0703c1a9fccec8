package io.optledger.platform;

import static io.optledger.support.RawHttp.chunked;
import static io.optledger.support.RawHttp.drip;
import static io.optledger.support.RawHttp.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.RawHttp;
import io.optledger.support.TestWorkspace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Limits before work, over real HTTP: bodies beyond their endpoint's limit (declared or streamed), dripped bodies,
 * the memory budget for bodies in flight, too many or too large headers, and JSON or XML beyond the parser limits.
 * Each refused in the shape of the API the path belongs to, before authentication, with nothing written.
 */
@ApiTest
@TestPropertySource(
        properties = {
            // a context of its own, so a database of its own
            "optledger.data-dir=target/test-data-limits",
            "optledger.limits.body-deadline=2s",
            "server.tomcat.connection-timeout=3s",
            "optledger.limits.body-memory=3MB",
            "optledger.limits.body-memory-wait=500ms",
            "optledger.limits.body.imports=512KB"
        })
class RequestLimitsTests {

    private static final int KIB = 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String EMAIL = "limits@example.com";

    @LocalServerPort
    int port;

    private ApiClient api;
    private TestWorkspace workspace;
    private long contact;

    /** An endpoint family: a path, its limit, and how its errors look. */
    record Family(String name, String path, String contentType, int limit, Consumer<RawHttp.Response> shape) {}

    private final List<Family> families = List.of(
            new Family("single", "/v1/contacts", "application/json", 256 * KIB, problem(413, "content-too-large")),
            new Family(
                    "batch",
                    "/v1/subscriptions/changes",
                    "application/json",
                    2048 * KIB,
                    problem(413, "content-too-large")),
            new Family(
                    "eligibility batch",
                    "/v1/eligibility/batch",
                    "application/json",
                    2048 * KIB,
                    problem(413, "content-too-large")),
            new Family(
                    "inbound sms",
                    "/v1/inbound/sms",
                    "application/x-www-form-urlencoded",
                    16 * KIB,
                    problem(413, "content-too-large")),
            new Family(
                    "capillary v2",
                    "/capillary/v2/customers/1/subscriptions",
                    "application/json",
                    256 * KIB,
                    response -> {
                        assertThat(response.json().at("/errors/0/code").asInt()).isEqualTo(413);
                        assertThat(response.json().at("/errors/0/message").asString())
                                .contains("larger than");
                    }),
            new Family(
                    "capillary v1.1",
                    "/capillary/v1.1/customer/subscriptions",
                    "application/json",
                    256 * KIB,
                    response -> assertThat(
                                    response.json().at("/response/status/code").asInt())
                            .isEqualTo(413)),
            new Family("altcraft", "/altcraft/api/v1.1/subscriptions/set", "application/json", 256 * KIB, response -> {
                assertThat(response.json().get("error").asInt()).isEqualTo(12);
                assertThat(response.json().get("error_text").asString()).startsWith("Request body too large");
            }),
            new Family(
                    "attentive",
                    "/attentive/v1/subscriptions",
                    "application/json",
                    64 * KIB,
                    response -> assertThat(response.json().at("/error/message").asString())
                            .contains("larger than")));

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
        contact = workspace.contact(EMAIL, "+14155550123");
    }

    @Test
    void aBodyDeclaredLargerThanItsEndpointTakesIsRefusedBeforeAByteIsSent() throws IOException {
        for (Family family : families) {
            RawHttp.Response response =
                    exchange(port, post(family, "Content-Length: " + (family.limit() + 1)), out -> {}, TIMEOUT);
            assertThat(response.status())
                    .as(family.name() + ": " + response.body())
                    .isEqualTo(413);
            family.shape().accept(response);
            assertThat(response.headers()).containsEntry("connection", "close");
        }
    }

    @Test
    void anUnauthenticatedAltcraftCallOfTenMegabytesIsRefusedUnread() throws IOException {
        // the credential sits inside the body: the answer must not wait for it
        RawHttp.Response declared = exchange(
                port,
                "POST /altcraft/api/v1.1/subscriptions/set?format=xml HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/xml\r\nContent-Length: 10000000",
                out -> {},
                TIMEOUT);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.after()).isLessThan(Duration.ofSeconds(2));
        assertThat(declared.headers().get("content-type")).startsWith("application/xml");
        assertThat(declared.body()).contains("<error>12</error>");

        byte[] tenMegabytes = ("{\"token\":\"" + "x".repeat(10_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        RawHttp.Response streamed = exchange(
                port,
                "POST /altcraft/api/v1.1/subscriptions/set HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked",
                chunked(tenMegabytes, true),
                TIMEOUT);
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(streamed.after()).isLessThan(Duration.ofSeconds(2));
        assertThat(streamed.json().get("error").asInt()).isEqualTo(12);
    }

    @Test
    void aChunkedBodyIsRefusedAtItsEndpointsLimitAndNothingIsWritten() throws IOException {
        // a well-formed batch that is merely too large: not one of its changes may be applied
        String reason = "r".repeat(900);
        List<Map<String, Object>> items = IntStream.range(0, 2_300)
                .mapToObj(i -> Map.<String, Object>of(
                        "contactId",
                        contact,
                        "channel",
                        "EMAIL",
                        "topic",
                        "marketing",
                        "action",
                        "OPT_IN",
                        "reason",
                        reason))
                .toList();
        byte[] batch = ApiClient.json(Map.of("items", items)).getBytes(StandardCharsets.UTF_8);
        assertThat(batch.length).isGreaterThan(2048 * KIB);
        RawHttp.Response refused = exchange(
                port,
                post(families.get(1), "Authorization: Bearer " + workspace.adminKey(), "Transfer-Encoding: chunked"),
                chunked(batch, true),
                TIMEOUT);
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        families.get(1).shape().accept(refused);
        assertThat(workspace.events(contact)).isEmpty();

        for (Family family : families) {
            RawHttp.Response response = exchange(
                    port,
                    post(family, "Transfer-Encoding: chunked"),
                    chunked(filler(family.limit() + 16 * KIB), true),
                    TIMEOUT);
            assertThat(response.status())
                    .as(family.name() + ": " + response.body())
                    .isEqualTo(413);
            family.shape().accept(response);
        }
    }

    @Test
    void anImportIsStreamedUpToItsOwnLimitAndRefusedPastItWithNothingStaged() throws IOException {
        Family imports = new Family("imports", "/v1/imports", "text/csv", 512 * KIB, problem(413, "content-too-large"));
        RawHttp.Response declared =
                exchange(port, post(imports, "Content-Length: " + (imports.limit() + 1)), out -> {}, TIMEOUT);
        assertThat(declared.status()).as(declared.body()).isEqualTo(413);
        imports.shape().accept(declared);

        StringBuilder csv = new StringBuilder("email,channel,topic,status\n");
        for (int i = 0; csv.length() < imports.limit() + 16 * KIB; i++) {
            csv.append("streamed").append(i).append("@example.com,EMAIL,marketing,subscribed\n");
        }
        byte[] tooLarge = csv.toString().getBytes(StandardCharsets.UTF_8);
        RawHttp.Response refused = exchange(
                port,
                post(imports, "Authorization: Bearer " + workspace.adminKey(), "Transfer-Encoding: chunked"),
                chunked(tooLarge, true),
                TIMEOUT);
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        imports.shape().accept(refused);
        assertThat(api.get("/v1/imports", workspace.adminKey()).json().get("imports"))
                .as("nothing staged")
                .isEmpty();

        // larger than any body read whole (256 KB for a single call), within the import's own limit
        byte[] fits = java.util.Arrays.copyOf(tooLarge, csv.lastIndexOf("\n", 400 * KIB) + 1);
        RawHttp.Response accepted = exchange(
                port,
                post(imports, "Authorization: Bearer " + workspace.adminKey(), "Transfer-Encoding: chunked"),
                chunked(fits, true),
                TIMEOUT);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void aChunkedBodyWithinItsLimitIsReadAsBefore() throws IOException {
        byte[] batch = ApiClient.json(Map.of(
                        "items",
                        List.of(Map.of(
                                "contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"))))
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response applied = exchange(
                port,
                post(families.get(1), "Authorization: Bearer " + workspace.adminKey(), "Transfer-Encoding: chunked"),
                chunked(batch, true),
                TIMEOUT);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(workspace.events(contact)).hasSize(1);

        // a form body (read by the filter, not the container) still reaches the endpoint's parameters
        RawHttp.Response stop = exchange(
                port,
                post(families.get(3), "Authorization: Bearer " + workspace.adminKey(), "Transfer-Encoding: chunked"),
                chunked("From=%2B14155550123&Body=STOP".getBytes(StandardCharsets.UTF_8), true),
                TIMEOUT);
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.json().get("keyword").asString()).isEqualTo("STOP");
    }

    @Test
    void aMultipartBodyIsNotParsedButRefused() throws IOException {
        byte[] part = "--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nm@example.com\r\n--b--\r\n"
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response response = exchange(
                port,
                "POST /v1/contacts HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Authorization: Bearer " + workspace.adminKey() + "\r\nContent-Length: " + part.length,
                out -> out.write(part),
                TIMEOUT);
        assertThat(response.status()).as(response.body()).isEqualTo(415);
        assertThat(response.json().get("type").asString())
                .isEqualTo("https://optledger.dev/problems/unsupported-media-type");
    }

    @Test
    void aDrippedBodyIsCutOffAtTheDeadline() throws IOException {
        byte[] body = "{\"email\":\"drip@example.com\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response response = exchange(
                port,
                post(
                        families.getFirst(),
                        "Authorization: Bearer " + workspace.adminKey(),
                        "Content-Length: " + body.length),
                drip(body, Duration.ofMillis(250)),
                TIMEOUT);
        assertThat(response.status()).as(response.body()).isEqualTo(408);
        assertThat(response.after()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(response.json().get("type").asString()).isEqualTo("https://optledger.dev/problems/request-timeout");
        assertThat(api.get("/v1/contacts?email=drip@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();

        RawHttp.Response altcraft = exchange(
                port,
                post(families.get(6), "Content-Length: " + body.length),
                drip(body, Duration.ofMillis(250)),
                TIMEOUT);
        assertThat(altcraft.status()).isEqualTo(408);
        assertThat(altcraft.json().get("error").asInt()).isEqualTo(13);

        // and a chunked body whose framing is broken is the endpoint's 400, not the container's
        RawHttp.Response broken = exchange(
                port,
                post(families.get(6), "Transfer-Encoding: chunked"),
                out -> out.write("zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                TIMEOUT);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("error").asInt()).isEqualTo(1);
    }

    @Test
    void aClientSilentLongerThanOneReadMayWaitIsCutOffInItsEndpointsShape() throws IOException {
        // the container notices this one (its read timed out) before the deadline does
        byte[] body = "{\"token\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response response = exchange(
                port,
                post(families.get(6), "Content-Length: " + body.length),
                drip(body, Duration.ofSeconds(4)),
                TIMEOUT);
        assertThat(response.status()).as(response.body()).isEqualTo(408);
        assertThat(response.after()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(response.json().get("error").asInt()).isEqualTo(13);
    }

    @Test
    void bodiesBeyondTheMemoryBudgetWaitThenAreRefused() throws Exception {
        // three bodies of 1 MiB announced and never sent hold the whole 3 MB budget
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket("localhost", port);
                OutputStream out = socket.getOutputStream();
                out.write((post(families.get(1), "Content-Length: " + 1024 * KIB) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                holders.add(socket);
            }
            Thread.sleep(500);
            RawHttp.Response refused = exchange(
                    port,
                    post(families.getFirst(), "Authorization: Bearer " + workspace.adminKey(), "Content-Length: 2"),
                    out -> out.write("{}".getBytes(StandardCharsets.UTF_8)),
                    TIMEOUT);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers()).containsEntry("retry-after", "1");
            assertThat(refused.json().get("type").asString()).isEqualTo("https://optledger.dev/problems/overloaded");
        } finally {
            for (Socket socket : holders) {
                socket.close();
            }
        }
        // closed, their reservations are returned
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int status;
        do {
            status = api.post("/v1/contacts", workspace.adminKey(), "{\"email\":\"after@example.com\"}")
                    .status();
        } while (status == 503 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(201);
    }

    @Test
    void tooManyOrTooLargeHeadersAreRefused() throws IOException {
        String many = IntStream.range(0, 60)
                .mapToObj(i -> "X-Filler-" + i + ": " + i)
                .reduce((a, b) -> a + "\r\n" + b)
                .orElseThrow();
        assertThat(exchange(port, get(many), out -> {}, TIMEOUT).status()).isEqualTo(400);
        assertThat(exchange(port, get("X-Large: " + "x".repeat(9 * KIB)), out -> {}, TIMEOUT)
                        .status())
                .isIn(400, 431);
        String some = IntStream.range(0, 40)
                .mapToObj(i -> "X-Filler-" + i + ": " + i)
                .reduce((a, b) -> a + "\r\n" + b)
                .orElseThrow();
        assertThat(exchange(port, get(some), out -> {}, TIMEOUT).status()).isEqualTo(200);
    }

    @Test
    void jsonBeyondTheParserLimitsIsABadRequestInTheEndpointsShape() {
        String deep = "[".repeat(100) + "]".repeat(100);
        String longString = "\"" + "a".repeat(70_000) + "\"";
        String longNumber = "1".repeat(200);
        for (String value : List.of(deep, longNumber, longString)) {
            // attributes take any JSON: only the parser's limits can refuse these
            ApiClient.Response response = api.post(
                    "/v1/contacts",
                    workspace.adminKey(),
                    "{\"email\":\"parser@example.com\",\"attributes\":{\"x\":" + value + "}}");
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.json().get("type").asString())
                    .isEqualTo("https://optledger.dev/problems/invalid-request");
            assertThat(response.json().get("detail").asString()).contains("beyond the parser's limits");
            ApiClient.Response altcraft = api.send(
                    "POST",
                    "/altcraft/api/v1.1/subscriptions/set",
                    Map.of("Content-Type", "application/json"),
                    "{\"token\":\"" + workspace.adminKey() + "\",\"x\":" + value + "}");
            assertThat(altcraft.status()).as(altcraft.text()).isEqualTo(400);
            assertThat(altcraft.json().get("error").asInt()).isEqualTo(1);
        }
        assertThat(api.get("/v1/contacts?email=parser@example.com", workspace.adminKey())
                        .json()
                        .get("contacts"))
                .isEmpty();
    }

    @Test
    void xmlBeyondItsLimitsIsABadRequestInAltcraftsShape() {
        String token = "<token>" + workspace.adminKey() + "</token>";
        String deep = "<a>".repeat(40) + "x" + "</a>".repeat(40);
        String wide = "<a>1</a>".repeat(12_000);
        String longText = "<a>" + "t".repeat(70_000) + "</a>";
        for (String inside : List.of(deep, wide, longText)) {
            ApiClient.Response response = api.send(
                    "POST",
                    "/altcraft/api/v1.1/subscriptions/set",
                    Map.of("Content-Type", "application/xml"),
                    "<xml>" + token + inside + "</xml>");
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/xml");
            assertThat(response.text()).contains("<error>1</error>").doesNotContain("Exception");
        }
    }

    private String post(Family family, String... headers) {
        return "POST " + family.path() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + family.contentType()
                + "\r\n" + String.join("\r\n", headers);
    }

    private static String get(String headers) {
        return "GET /livez HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers;
    }

    private static byte[] filler(int size) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    private static Consumer<RawHttp.Response> problem(int status, String type) {
        return response -> {
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
            JsonNode problem = response.json();
            assertThat(problem.get("type").asString()).isEqualTo("https://optledger.dev/problems/" + type);
            assertThat(problem.get("status").asInt()).isEqualTo(status);
        };
    }
}

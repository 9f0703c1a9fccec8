package io.optledger.dialect.capillary;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.Golden;
import io.optledger.support.WorkspaceApiTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capillary's XML: {@code format=xml} (any case), an XML body ({@code <root><subscription>}), and {@code Accept}; the
 * answer and every error in XML when XML was asked for, read by the dialects' one secure reader.
 */
class CapillaryXmlTests extends WorkspaceApiTest {

    private static final String V11 = "/capillary/v1.1/customer/subscriptions";
    private static final String V11_REQUEST = "dialect/capillary/v1.1-update.request.xml";

    private CapillaryClient capillary;
    private long ada;

    @BeforeEach
    void registerCustomer() {
        capillary = CapillaryClient.md5(workspace);
        ada = capillary.register("919876543210", "ada@example.com");
    }

    @Test
    void aV11XmlRequestIsAnsweredInXmlAndAppliedAsItsJsonTwin() {
        ApiClient.Response response =
                send("POST", V11 + "?format=xml", "application/xml", null, Golden.text(V11_REQUEST));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertXml(response, "dialect/capillary/v1.1-update.response.xml", Map.of("userId", Long.toString(ada)));
        var events = workspace.events(ada);
        assertThat(events.findValuesAsString("channel")).containsExactly("EMAIL", "SMS");
        assertThat(events.findValuesAsString("to")).containsExactly("SUBSCRIBED", "UNSUBSCRIBED");
    }

    @Test
    void formatXmlInAnyCaseReadsABodyWithoutContentTypeAsXml() {
        ApiClient.Response response = send("POST", V11 + "?format=XML", null, null, Golden.text(V11_REQUEST));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertXml(response, "dialect/capillary/v1.1-update.response.xml", Map.of("userId", Long.toString(ada)));
    }

    @Test
    void acceptXmlAnswersAJsonRequestInXmlAndAcceptJsonAnXmlOneInJson() {
        String json = Golden.text("dialect/capillary/v1.1-update-seed.request.json")
                .replace("[email protected]", "ada@example.com");
        ApiClient.Response xml = send("POST", V11, "application/json", "application/xml", json);
        assertThat(xml.status()).as(xml.text()).isEqualTo(200);
        Golden.assertXml(xml, "dialect/capillary/v1.1-update.response.xml", Map.of("userId", Long.toString(ada)));

        ApiClient.Response asJson = send("POST", V11, "text/xml", "application/json", Golden.text(V11_REQUEST));
        assertThat(asJson.status()).as(asJson.text()).isEqualTo(200);
        assertThat(asJson.header("Content-Type")).startsWith("application/json");
        // the same changes again: applied, already in this state
        assertThat(asJson.json().get("response").findValuesAsString("message"))
                .containsExactly("SUCCESS", "Subscription already in this state", "Subscription already in this state");
    }

    @Test
    void aV2XmlRequestIsAnsweredInXmlWithWrappedLists() {
        ApiClient.Response response = send(
                "POST",
                "/capillary/v2/customers/" + ada + "/subscriptions?format=xml",
                "text/xml",
                null,
                Golden.text("dialect/capillary/v2-update.request.xml"));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertXml(response, "dialect/capillary/v2-update.response.xml", Map.of());
        assertThat(workspace.events(ada)).hasSize(3);
    }

    @Test
    void readsAnswerInXmlWhenAskedFor() {
        send("POST", V11 + "?format=xml", "application/xml", null, Golden.text(V11_REQUEST));

        ApiClient.Response v11 = send("GET", V11 + "?format=xml&mobile=919876543210", null, null, null);
        assertThat(v11.status()).as(v11.text()).isEqualTo(200);
        assertThat(v11.header("Content-Type")).startsWith("application/xml");
        assertThat(v11.text())
                .contains("<response><status><success>true</success><code>200</code>")
                .contains("<subscriptions><subscription><user_id>" + ada + "</user_id>");

        ApiClient.Response v2 =
                send("GET", "/capillary/v2/customers/" + ada + "/subscriptions", null, "application/xml", null);
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(v2.text()).contains("<response><userId>" + ada + "</userId><subscriptions><subscription><channel>");

        ApiClient.Response log = send(
                "GET", "/capillary/customers/" + ada + "/subscriptionStatusChangeLog?format=Xml", null, null, null);
        assertThat(log.status()).as(log.text()).isEqualTo(200);
        assertThat(log.text()).contains("<data><entry><orgUnitId>-1</orgUnitId>");
    }

    @Test
    void badXmlIsRefusedInCapillarysXmlErrorShapeWithNothingWritten() {
        for (String body : new String[] {
            "<root><subscription><email>ada@example.com</email>",
            """
            <?xml version="1.0"?><!DOCTYPE root [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <root><subscription><email>&x;</email></subscription></root>""",
            "<root><subscription><fax>1</fax></subscription></root>"
        }) {
            ApiClient.Response response = send("POST", V11 + "?format=xml", "application/xml", null, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/xml");
            assertThat(response.text())
                    .contains("<response><status><success>false</success><code>400</code><message>")
                    .doesNotContain("root:x:0:0");
        }
        ApiClient.Response unknownField = send(
                "POST",
                V11 + "?format=xml",
                "application/xml",
                null,
                "<root><subscription><fax>1</fax></subscription></root>");
        Golden.assertXml(
                unknownField,
                "dialect/capillary/v1.1-error.response.xml",
                Map.of("message", "unknown field 'root.subscription[0].fax'"));

        ApiClient.Response v2 = send(
                "POST", "/capillary/v2/customers/" + ada + "/subscriptions", "application/xml", null, "<root><reason>");
        assertThat(v2.status()).isEqualTo(400);
        assertThat(v2.text()).contains("<response><warnings/><errors><error><status>false</status><message>");
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void errorsBeforeAnyHandlerAnswerInXmlWhenXmlWasAskedFor() {
        ApiClient.Response unauthorized = api.send(
                "POST",
                V11 + "?format=xml",
                Map.of("Authorization", CapillaryClient.basic("till", "wrong"), "Content-Type", "application/xml"),
                Golden.text(V11_REQUEST));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(unauthorized.header("Content-Type")).startsWith("application/xml");
        assertThat(unauthorized.text()).contains("<response><status><success>false</success><code>401</code>");

        ApiClient.Response unknown = send("GET", "/capillary/v2/nothing/here?format=xml", null, null, null);
        assertThat(unknown.status()).isEqualTo(404);
        Golden.assertXml(
                unknown,
                "dialect/capillary/v2-error.response.xml",
                Map.of("message", unknown.text().replaceAll("(?s).*<message>(.*)</message>.*", "$1"), "code", "404"));

        ApiClient.Response wrongMethod = send("DELETE", V11 + "?format=xml", null, null, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Content-Type")).startsWith("application/xml");
        assertThat(wrongMethod.text()).contains("<code>405</code>");

        ApiClient.Response tooLarge = send(
                "POST", V11 + "?format=xml", "application/xml", null, "<root>" + "x".repeat(300 * 1024) + "</root>");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("Content-Type")).startsWith("application/xml");
        assertThat(tooLarge.text()).contains("<code>413</code>");

        ApiClient.Response unsupported = send("POST", V11, "text/plain", null, "root");
        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.header("Content-Type")).startsWith("application/json");
        assertThat(workspace.events(ada)).isEmpty();
    }

    @Test
    void aPathWithATrailingSlashIsTheSamePath() {
        ApiClient.Response response =
                send("POST", V11 + "/?FORMAT=xml", "application/xml", null, Golden.text(V11_REQUEST));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        Golden.assertXml(response, "dialect/capillary/v1.1-update.response.xml", Map.of("userId", Long.toString(ada)));

        ApiClient.Response v2 = send("GET", "/capillary/v2/customers/" + ada + "/subscriptions/", null, null, null);
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(v2.header("Content-Type")).startsWith("application/json");
    }

    private ApiClient.Response send(String method, String path, String contentType, String accept, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", capillary.authorization());
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (accept != null) {
            headers.put("Accept", accept);
        }
        return api.send(method, path, headers, body);
    }
}

package io.optledger.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.optledger.consent.Action;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.contact.Channel;
import io.optledger.preferences.InvalidLink;
import io.optledger.preferences.LinkClaims;
import io.optledger.preferences.LinkKind;
import io.optledger.preferences.LinkTokens;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Await;
import io.optledger.support.TestWorkspace;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Email double opt-in against a real SMTP server (GreenMail, in this JVM): the request, the one confirmation email
 * with its parts, headers and signed links, its locale and the workspace's override, the resend limit, a rollback,
 * an SMTP outage, an opt-out before sending, and the Altcraft and Attentive ways in.
 */
@ApiTest
class EmailDoubleOptInTests {

    private static final int SMTP_PORT = freePort();
    private static final String PUBLIC_URL = "https://optledger.test";
    private static final Pattern CONFIRM =
            Pattern.compile(Pattern.quote(PUBLIC_URL) + "/c/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");
    private static final Pattern UNSUBSCRIBE =
            Pattern.compile("<" + Pattern.quote(PUBLIC_URL) + "/u/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)>");
    private static final Duration RESEND_INTERVAL = Duration.ofSeconds(3);

    private static GreenMail smtp = startSmtp();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LinkTokens tokens;

    @Autowired
    ConsentService consent;

    @Autowired
    TransactionTemplate transactions;

    private ApiClient api;
    private TestWorkspace workspace;
    private String topicName;

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        // a context of its own (its sender differs), so a database of its own: one data folder per running PostgreSQL
        registry.add("optledger.data-dir", () -> "target/test-data-email");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("optledger.email.from", () -> "OptLedger <no-reply@optledger.test>");
        registry.add("optledger.public-url", () -> PUBLIC_URL);
        registry.add("optledger.email.resend-interval", RESEND_INTERVAL::toString);
        registry.add("optledger.messaging.poll-interval", () -> "100ms");
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void setUp() {
        if (!smtp.isRunning()) {
            smtp = startSmtp();
        }
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
        // a name an HTML body must escape
        topicName = "News & <Offers> \"" + UUID.randomUUID() + "\"";
        ApiClient.Response topic = api.post(
                "/v1/topics",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "key", "news", "name", topicName, "kind", "MARKETING", "doubleOptIn", List.of("EMAIL"))));
        assertThat(topic.status()).as(topic.text()).isEqualTo(201);
    }

    @Test
    void aRequestOnADoubleOptInTopicSendsOneConfirmationEmailWithSignedLinksAndUnsubscribeHeaders() throws Exception {
        String address = address();
        long contact = contact(address, Map.of());

        JsonNode result = request(contact).json().at("/results/0");
        assertThat(result.get("outcome").asString()).isEqualTo("created");
        assertThat(result.at("/subscription/status").asString()).isEqualTo("PENDING");
        assertThat(eligible(address)).isFalse();

        MimeMessage email = awaitEmails(address, 1).getFirst();
        assertThat(email.getFrom())
                .extracting(Address::toString)
                .containsExactly("OptLedger <no-reply@optledger.test>");
        assertThat(email.getSubject()).contains(topicName);
        assertThat(email.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) email.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.isMimeType("text/plain")).isTrue();
        assertThat(html.isMimeType("text/html")).isTrue();
        String plain = (String) text.getContent();
        String markup = (String) html.getContent();
        String brand = brand();
        assertThat(plain).contains(topicName).contains(brand);
        assertThat(markup)
                .contains(org.springframework.web.util.HtmlUtils.htmlEscape(topicName))
                .doesNotContain("<Offers>")
                .contains(brand);

        // the confirmation link, in both bodies, opens this contact's opt-in to this topic by email
        String token = link(CONFIRM, plain);
        assertThat(link(CONFIRM, markup)).isEqualTo(token);
        LinkClaims confirm = tokens.verify(token, LinkKind.CONFIRM);
        assertThat(confirm.workspaceId()).isEqualTo(workspace.id());
        assertThat(confirm.contactId()).isEqualTo(contact);
        assertThat(confirm.topic()).isEqualTo("news");
        assertThat(confirm.channel()).isEqualTo(Channel.EMAIL);
        assertThat(confirm.locale()).isEqualTo("en-US");
        assertThat(confirm.expiresAt()).isAfter(confirm.issuedAt().plus(Duration.ofDays(6)));

        // RFC 8058: a one-click unsubscribe from this topic by email
        String listUnsubscribe = email.getHeader("List-Unsubscribe", null);
        assertThat(email.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        LinkClaims unsubscribe = tokens.verify(link(UNSUBSCRIBE, listUnsubscribe), LinkKind.UNSUBSCRIBE);
        assertThat(unsubscribe.contactId()).isEqualTo(contact);
        assertThat(unsubscribe.topic()).isEqualTo("news");
        assertThat(unsubscribe.channel()).isEqualTo(Channel.EMAIL);
        assertThat(List.of(LinkKind.values()))
                .filteredOn(kind -> kind != LinkKind.UNSUBSCRIBE)
                .allSatisfy(kind -> assertThat(invalid(link(UNSUBSCRIBE, listUnsubscribe), kind))
                        .isTrue());

        // one email, marked sent; the queue shows the links as placeholders, never a signed token
        Map<String, Object> row = awaitSent(address);
        assertThat(row).containsEntry("attempts", 1).containsEntry("template", "EMAIL_CONFIRMATION_REQUEST");
        assertThat(row.get("body").toString()).contains("{confirmUrl}").doesNotContain(token);
        JsonNode listed = api.get("/v1/messaging/messages?channel=EMAIL&recipient=" + address, workspace.adminKey())
                .json()
                .get("messages");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("subject").asString()).isEqualTo(email.getSubject());
        assertThat(listed.toString()).doesNotContain(token);
        assertThat(received(address)).hasSize(1);
    }

    @Test
    void theEmailsLinksConfirmTheOptInAndThenLeaveItInOneClick() throws Exception {
        String address = address();
        long contact = contact(address, Map.of());
        request(contact);
        MimeMessage email = awaitEmails(address, 1).getFirst();
        String plain =
                (String) ((MimeMultipart) email.getContent()).getBodyPart(0).getContent();

        // the person clicks the link and presses the confirmation page's button
        ApiClient.Response confirmed = api.send(
                "POST", "/c/" + link(CONFIRM, plain), Map.of("Content-Type", "application/x-www-form-urlencoded"), "");
        assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(200);
        assertThat(eligible(address)).isTrue();
        assertThat(workspace.events(contact).findValuesAsString("action")).containsExactly("REQUEST_OPT_IN", "CONFIRM");

        // the mail provider's one-click POST to the List-Unsubscribe link
        ApiClient.Response left = api.send(
                "POST",
                "/u/" + link(UNSUBSCRIBE, email.getHeader("List-Unsubscribe", null)),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "List-Unsubscribe=One-Click");
        assertThat(left.status()).as(left.text()).isBetween(200, 299);
        assertThat(eligible(address)).isFalse();
        assertThat(workspace.events(contact).findValuesAsString("action"))
                .containsExactly("REQUEST_OPT_IN", "CONFIRM", "OPT_OUT");
    }

    @Test
    void theContactsLocaleChoosesTheTemplateAndTheLinksLanguage() throws Exception {
        String address = address();
        long contact = contact(address, Map.of("locale", "fr-CA"));

        request(contact);

        MimeMessage email = awaitEmails(address, 1).getFirst();
        JsonNode template = template("email_confirmation_request", "fr-CA");
        assertThat(email.getSubject())
                .isEqualTo(template.get("subject").asString().replace("{topic}", topicName));
        String plain =
                (String) ((MimeMultipart) email.getContent()).getBodyPart(0).getContent();
        assertThat(tokens.verify(link(CONFIRM, plain), LinkKind.CONFIRM).locale())
                .isEqualTo("fr-CA");
        assertThat(awaitSent(address)).containsEntry("locale", "fr-CA");
    }

    @Test
    void aWorkspacesOverrideIsWhatItSendsAndMustKeepTheConfirmationLink() throws Exception {
        ApiClient.Response missing = override("en-US", Map.of("text", "Welcome to {topic}"));
        assertThat(missing.status()).as(missing.text()).isEqualTo(400);
        ApiClient.Response twoLines = override("en-US", Map.of("subject", "Confirm\nBcc: someone@example.com"));
        assertThat(twoLines.status()).as(twoLines.text()).isEqualTo(400);
        ApiClient.Response overridden = override(
                "en-US",
                Map.of(
                        "subject", "Say yes to {topic}, from {brand}",
                        "text", "Yes: {confirmUrl}",
                        "html", "<p class=\"custom\"><a href=\"{confirmUrl}\">Yes</a> to {topic}</p>"));
        assertThat(overridden.status()).as(overridden.text()).isEqualTo(200);
        assertThat(overridden.json().get("channel").asString()).isEqualTo("EMAIL");
        String address = address();

        request(contact(address, Map.of()));

        MimeMessage email = awaitEmails(address, 1).getFirst();
        assertThat(email.getSubject()).isEqualTo("Say yes to " + topicName + ", from " + brand());
        MimeMultipart parts = (MimeMultipart) email.getContent();
        String plain = (String) parts.getBodyPart(0).getContent();
        assertThat(plain).startsWith("Yes: " + PUBLIC_URL + "/c/");
        tokens.verify(link(CONFIRM, plain), LinkKind.CONFIRM);
        String markup = (String) parts.getBodyPart(1).getContent();
        assertThat(markup)
                .startsWith("<p class=\"custom\"><a href=\"" + PUBLIC_URL + "/c/")
                .endsWith("\">Yes</a> to " + org.springframework.web.util.HtmlUtils.htmlEscape(topicName) + "</p>");
        // the other locale keeps the built-in text
        assertThat(template("email_confirmation_request", "fr-CA").get("text").asString())
                .doesNotContain("Yes: ");
    }

    @Test
    void aRepeatedRequestAsksAgainAtMostOncePerResendInterval() throws Exception {
        String address = address();
        long contact = contact(address, Map.of());

        request(contact);
        awaitEmails(address, 1);
        JsonNode again = request(contact).json().at("/results/0");
        assertThat(again.get("outcome").asString()).isEqualTo("unchanged");
        assertThat(again.at("/subscription/status").asString()).isEqualTo("PENDING");
        assertThat(queued(address)).isEqualTo(1);

        Thread.sleep(RESEND_INTERVAL.plusMillis(200).toMillis());
        request(contact);
        request(contact);
        assertThat(queued(address)).isEqualTo(2);
        assertThat(awaitEmails(address, 2)).hasSize(2);
    }

    @Test
    void aRolledBackChangeQueuesNothing() {
        String address = address();
        long contact = contact(address, Map.of());

        // a batch refused whole: its valid request is not applied, and asks nobody
        ApiClient.Response refused = api.post(
                "/v1/subscriptions/changes",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "items",
                        List.of(
                                item(contact, "REQUEST_OPT_IN"),
                                Map.of(
                                        "contactId",
                                        contact,
                                        "channel",
                                        "EMAIL",
                                        "address",
                                        "not an address",
                                        "topic",
                                        "news",
                                        "action",
                                        "REQUEST_OPT_IN")))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);

        // a change applied, its email queued in its transaction, and the transaction rolled back
        Integer queuedInside = transactions.execute(tx -> {
            consent.apply(new ConsentBatch(
                    workspace.id(),
                    RequestContext.none(),
                    List.of(new ConsentCommand(
                            ContactRef.id(contact),
                            Channel.EMAIL,
                            null,
                            "news",
                            Action.REQUEST_OPT_IN,
                            null,
                            null,
                            Provenance.of("test")))));
            int queued = queued(address);
            tx.setRollbackOnly();
            return queued;
        });
        assertThat(queuedInside).as("queued inside the transaction").isEqualTo(1);
        assertThat(queued(address)).isZero();
        assertThat(jdbc.sql("select count(*) from email_confirmations where workspace_id = :w")
                        .param("w", workspace.id())
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(workspace.events(contact)).isEmpty();
    }

    @Test
    void anSmtpOutageIsRetriedUntilTheEmailIsSent() throws Exception {
        smtp.stop();
        String address = address();
        request(contact(address, Map.of()));

        Map<String, Object> failed = await(() -> {
            Map<String, Object> row = message(address);
            return row != null && row.get("last_error") != null ? row : null;
        });
        assertThat(failed).containsEntry("status", "QUEUED");
        assertThat(failed.get("last_error").toString()).contains("could not be reached");

        smtp = startSmtp();
        assertThat(awaitEmails(address, 1)).hasSize(1);
        Map<String, Object> sent = awaitSent(address);
        assertThat((Integer) sent.get("attempts")).isGreaterThan(1);
        assertThat(sent).containsEntry("last_error", null);
    }

    @Test
    void anOptOutBeforeTheEmailIsSentCancelsIt() throws Exception {
        smtp.stop();
        String address = address();
        long contact = contact(address, Map.of());
        request(contact);
        await(() -> {
            Map<String, Object> row = message(address);
            return row != null && row.get("last_error") != null ? row : null;
        });

        JsonNode optOut = workspace.change(item(contact, "OPT_OUT")).json().at("/results/0");
        assertThat(optOut.get("outcome").asString()).isEqualTo("changed");
        smtp = startSmtp();

        Map<String, Object> cancelled = await(() -> {
            Map<String, Object> row = message(address);
            return "CANCELLED".equals(row.get("status")) ? row : null;
        });
        assertThat(cancelled).containsEntry("last_error", "no opt-in pending");
        Thread.sleep(500);
        assertThat(received(address)).isEmpty();
    }

    @Test
    void anAltcraftUnconfirmedSubscriptionAsksForItsConfirmation() throws Exception {
        String address = address();
        assertThat(put("/v1/altcraft/databases/1", Map.of("name", "db 1"))).isEqualTo(200);
        assertThat(put(
                        "/v1/altcraft/resources/1",
                        Map.of(
                                "name",
                                "newsletter",
                                "topic",
                                "news",
                                "channels",
                                List.of("email"),
                                "categories",
                                List.of())))
                .isEqualTo(200);
        String profile = altcraft("profiles/add", Map.of("db_id", 1, "data", Map.of("email", address)))
                .get("profile_id")
                .asString();
        Map<String, Object> set = new LinkedHashMap<>(
                Map.of("db_id", 1, "profile_id", profile, "resource_id", 1, "channel", "email", "email", address));
        set.put("status", "unconfirmed");
        altcraft("subscriptions/set", set);

        MimeMessage email = awaitEmails(address, 1).getFirst();
        String plain =
                (String) ((MimeMultipart) email.getContent()).getBodyPart(0).getContent();
        LinkClaims claims = tokens.verify(link(CONFIRM, plain), LinkKind.CONFIRM);
        assertThat(claims.contactId()).isEqualTo(Long.parseLong(profile));
        assertThat(claims.topic()).isEqualTo("news");
    }

    @Test
    void anAttentiveEmailSignUpWithoutSingleOptInAsksForItsConfirmationInTheUnitsLanguage() throws Exception {
        String address = address();
        ApiClient.Response unit = api.post(
                "/v1/sign-up-units",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "name", "Footer",
                        "channel", "EMAIL",
                        "subscriptionType", "MARKETING",
                        "locale", Map.of("language", "fr", "country", "CA"),
                        "singleOptInAllowed", false,
                        "disclosure", "Vous acceptez de recevoir nos courriels.")));
        assertThat(unit.status()).as(unit.text()).isEqualTo(201);
        ApiClient.Response subscribed = api.post(
                "/attentive/v1/subscriptions",
                workspace.adminKey(),
                ApiClient.json(Map.of(
                        "user", Map.of("email", address),
                        "signUpSourceId", unit.json().get("id").asString())));
        assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(202);
        assertThat(eligible(address, "marketing")).isFalse();

        MimeMessage email = awaitEmails(address, 1).getFirst();
        String plain =
                (String) ((MimeMultipart) email.getContent()).getBodyPart(0).getContent();
        LinkClaims claims = tokens.verify(link(CONFIRM, plain), LinkKind.CONFIRM);
        assertThat(claims.topic()).isEqualTo("marketing");
        assertThat(claims.locale()).isEqualTo("fr-CA");
        String marketing = api.get("/v1/topics/marketing", workspace.adminKey())
                .json()
                .get("name")
                .asString();
        assertThat(email.getSubject())
                .isEqualTo(template("email_confirmation_request", "fr-CA")
                        .get("subject")
                        .asString()
                        .replace("{topic}", marketing));
    }

    // ---- helpers

    private static GreenMail startSmtp() {
        GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        server.start();
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String address() {
        return "p" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
    }

    private long contact(String address, Map<String, Object> attributes) {
        ApiClient.Response created = api.post(
                "/v1/contacts",
                workspace.adminKey(),
                ApiClient.json(Map.of("email", address, "attributes", attributes)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static Map<String, Object> item(long contact, String action) {
        return Map.of("contactId", contact, "channel", "EMAIL", "topic", "news", "action", action);
    }

    private ApiClient.Response request(long contact) {
        ApiClient.Response response = workspace.change(item(contact, "REQUEST_OPT_IN"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }

    private ApiClient.Response override(String locale, Map<String, String> parts) {
        return api.send(
                "PUT",
                "/v1/messaging/templates/email_confirmation_request/" + locale,
                Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                ApiClient.json(parts));
    }

    private JsonNode template(String template, String locale) {
        for (JsonNode view :
                api.get("/v1/messaging/templates", workspace.adminKey()).json().get("templates")) {
            if (view.get("template").asString().equals(template)
                    && view.get("locale").asString().equals(locale)) {
                return view;
            }
        }
        throw new AssertionError("no template " + template + " in " + locale);
    }

    private int put(String path, Map<String, Object> body) {
        return api.send(
                        "PUT",
                        path,
                        Map.of("Authorization", "Bearer " + workspace.adminKey(), "Content-Type", "application/json"),
                        ApiClient.json(body))
                .status();
    }

    private JsonNode altcraft(String method, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("token", workspace.adminKey());
        ApiClient.Response response = api.send(
                "POST",
                "/altcraft/api/v1.1/" + method,
                Map.of("Content-Type", "application/json"),
                ApiClient.json(body));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("data");
    }

    private boolean eligible(String address) {
        return eligible(address, "news");
    }

    private boolean eligible(String address, String topic) {
        return workspace
                .eligibility("channel=EMAIL&topic=" + topic + "&email=" + address)
                .get("eligible")
                .asBoolean();
    }

    private String brand() {
        return jdbc.sql("select name from workspaces where id = :w")
                .param("w", workspace.id())
                .query(String.class)
                .single();
    }

    private static String link(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("a link in " + text).isTrue();
        return matcher.group(1);
    }

    private boolean invalid(String token, LinkKind kind) {
        try {
            tokens.verify(token, kind);
            return false;
        } catch (InvalidLink e) {
            return true;
        }
    }

    private int queued(String address) {
        return jdbc.sql("select count(*) from messages where workspace_id = :w and channel = 'EMAIL'"
                        + " and recipient = :r")
                .param("w", workspace.id())
                .param("r", address)
                .query(Integer.class)
                .single();
    }

    private Map<String, Object> message(String address) {
        return jdbc
                .sql("select status, attempts, last_error, template, locale, body from messages"
                        + " where workspace_id = :w and channel = 'EMAIL' and recipient = :r")
                .param("w", workspace.id())
                .param("r", address)
                .query()
                .listOfRows()
                .stream()
                .findFirst()
                .orElse(null);
    }

    private Map<String, Object> awaitSent(String address) {
        return await(() -> {
            Map<String, Object> row = message(address);
            return row != null && "SENT".equals(row.get("status")) ? row : null;
        });
    }

    private static List<MimeMessage> received(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getAllRecipients())
                                .anyMatch(to -> to.toString().equals(address));
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private static List<MimeMessage> awaitEmails(String address, int count) {
        return await(() -> {
            List<MimeMessage> emails = received(address);
            return emails.size() >= count ? emails : null;
        });
    }

    private static <T> T await(Supplier<T> condition) {
        return Await.until(Duration.ofSeconds(20), Duration.ofMillis(50), condition);
    }
}

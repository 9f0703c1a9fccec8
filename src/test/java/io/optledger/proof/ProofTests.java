package io.optledger.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.Action;
import io.optledger.consent.ConsentBatch;
import io.optledger.consent.ConsentCommand;
import io.optledger.consent.ConsentService;
import io.optledger.consent.ContactRef;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.consent.ledger.LedgerCheckpoints;
import io.optledger.contact.Channel;
import io.optledger.platform.SigningKeys;
import io.optledger.proof.verifier.ProofDocument;
import io.optledger.proof.verifier.ProofVerifier;
import io.optledger.proof.verifier.VerifyCommand;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A contact's proof verifies offline, before and after erasure, and no byte of it can change unnoticed. */
@ApiTest
class ProofTests {

    @LocalServerPort
    int port;

    @Autowired
    ConsentService consent;

    @Autowired
    LedgerCheckpoints checkpoints;

    @Autowired
    SigningKeys keys;

    @TempDir
    Path dir;

    TestWorkspace workspace;
    long contact;
    String unit;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        int n = ThreadLocalRandom.current().nextInt(100_000, 999_999);
        contact = workspace.contact(
                "proof." + n + "@example.com",
                "+1628" + ThreadLocalRandom.current().nextInt(2, 10) + n);
        ApiClient.Response created = workspace
                .api()
                .post(
                        "/v1/sign-up-units",
                        workspace.adminKey(),
                        ApiClient.json(Map.of(
                                "name", "Footer form",
                                "channel", "EMAIL",
                                "subscriptionType", "MARKETING",
                                "locale", Map.of("language", "en", "country", "US"),
                                "disclosure", "Yes, send me the newsletter. Unsubscribe at any time.")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        unit = created.json().get("id").asString();
        consent.apply(new ConsentBatch(
                workspace.id(),
                new RequestContext("192.0.2.44", "Mozilla/5.0 (proof)", null, "req-proof"),
                List.of(new ConsentCommand(
                        ContactRef.id(contact),
                        Channel.EMAIL,
                        null,
                        "marketing",
                        Action.OPT_IN,
                        null,
                        null,
                        new Provenance("footer-form", "ticked the box", null, null, unit, Map.of("page", "/home")),
                        null,
                        false))));
        workspace.change(Map.of("contactId", contact, "channel", "SMS", "topic", "marketing", "action", "OPT_IN"));
        workspace.change(Map.of(
                "contactId",
                contact,
                "channel",
                "SMS",
                "topic",
                "marketing",
                "action",
                "SUSPEND",
                "suspendedUntil",
                "2099-01-01T00:00:00Z"));
    }

    @Test
    void aFreshProofVerifiesOfflineWithTheCheckpointThatCoversIt() throws Exception {
        workspace.checkpointed(checkpoints, contact);
        workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_OUT"));
        byte[] proof = proof();
        JsonNode document = ApiClient.Response.class
                .cast(workspace.api().get(path(), workspace.adminKey()))
                .json();
        assertThat(document.get("events")).hasSize(4);
        assertThat(document.get("disclosures").get(0).get("text").asString()).contains("newsletter");
        assertThat(document.at("/checkpoint/number").asLong()).isPositive();
        assertThat(document.get("state")).hasSize(2);

        // a copy to refresh src/test/resources/proof/fixture.json from, should the format ever change on purpose
        Files.write(Path.of("target", "fresh-proof.json"), proof);
        Result result = cli(file("proof.json", proof));
        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).startsWith("VALID: ").contains("4 events").contains("anchored by checkpoint");
        assertThat(result.out().lines()).hasSize(1);

        // pinned to the key the workspace publishes, and refused with another's
        Path own = file("own.pem", pem(publishedKey(workspace.id())));
        assertThat(cli(file("proof.json", proof), "--key", own.toString()).code())
                .isZero();
        TestWorkspace other = TestWorkspace.create(new ApiClient(port));
        Path foreign = file("foreign.pem", pem(publishedKey(other.id())));
        Result wrongKey = cli(file("proof.json", proof), "--key", foreign.toString());
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.out()).startsWith("INVALID: ").contains("not the given key");

        assertThat(cli().code()).isEqualTo(2);
        assertThat(cli(dir.resolve("missing.json").toString()).code()).isEqualTo(2);
        assertThat(cli(file("proof.json", proof), "--wat").code()).isEqualTo(2);
    }

    /**
     * Every byte that means anything is bound: each one, changed, makes the proof invalid. Whitespace between JSON
     * tokens is skipped, being no part of the document's content (a parser reads the same document without it).
     */
    @Test
    void changingAnySingleByteOfAFreshProofMakesItInvalid() {
        workspace.checkpointed(checkpoints, contact);
        byte[] proof = proof();
        assertThat(ProofVerifier.verify(VerifyCommand.read(proof), null).valid())
                .isTrue();
        int mutated = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < proof.length; i++) {
            byte b = proof[i];
            boolean significant = inString || !(b == ' ' || b == '\n' || b == '\r' || b == '\t');
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            }
            if (!significant) {
                continue;
            }
            byte[] copy = proof.clone();
            copy[i] = (byte) (b ^ 0x01);
            assertThat(verifies(copy))
                    .as("byte %d ('%s' in ...%s...) changed", i, (char) b, around(proof, i))
                    .isFalse();
            mutated++;
        }
        assertThat(mutated).isGreaterThan(3_000);
    }

    @Test
    void theProofOfAnErasedContactStillVerifiesAndHoldsNothingPersonal() {
        workspace.checkpointed(checkpoints, contact);
        assertThat(cli(file("before.json", proof())).code()).isZero();
        ApiClient.Response erased =
                workspace.api().post("/v1/contacts/" + contact + "/erase", workspace.adminKey(), "");
        assertThat(erased.status()).as(erased.text()).isEqualTo(200);
        byte[] after = proof();
        String text = new String(after, StandardCharsets.UTF_8);
        assertThat(text)
                .doesNotContain("@example.com")
                .doesNotContain("192.0.2.44")
                .doesNotContain("Mozilla");
        Result result = cli(file("after.json", after));
        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).contains("4 events");
        JsonNode document = workspace.api().get(path(), workspace.adminKey()).json();
        assertThat(document.get("commitmentKey").isNull()).isTrue();
        assertThat(document.get("state")).isEmpty();
    }

    @Test
    void aLedgerLongerThanOneProofHoldsIsRefusedWithWhereToGetItsChain() {
        // the service's default cap, 20,000 events: the setup's 3 and 20,000 more
        for (int call = 0; call < 20; call++) {
            List<ConsentCommand> toggles = new java.util.ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                toggles.add(new ConsentCommand(
                        ContactRef.id(contact),
                        Channel.EMAIL,
                        null,
                        "marketing",
                        i % 2 == 0 ? Action.OPT_OUT : Action.OPT_IN,
                        null,
                        null,
                        new Provenance("toggle", null, null, null, null, Map.of())));
            }
            consent.apply(new ConsentBatch(workspace.id(), new RequestContext(null, null, null, "req-long"), toggles));
        }
        ApiClient.Response refused = workspace.api().get(path(), workspace.adminKey());
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("type").asString()).endsWith("/proof-too-large");
        assertThat(refused.json().get("detail").asString())
                .contains("more than 20000 ledger events")
                .contains("/v1/exports/events?contact=" + contact);
        assertThat(workspace
                        .api()
                        .get("/v1/contacts/" + contact + "/events/verify", workspace.adminKey())
                        .json()
                        .get("valid")
                        .asBoolean())
                .as("the chain itself is whole")
                .isTrue();
    }

    @Test
    void anotherWorkspacesContactHasNoProof() {
        TestWorkspace other = TestWorkspace.create(new ApiClient(port));
        assertThat(other.api().get(path(), other.adminKey()).status()).isEqualTo(404);
    }

    private boolean verifies(byte[] proof) {
        ProofDocument document;
        try {
            document = VerifyCommand.read(proof);
        } catch (RuntimeException unreadable) {
            return false;
        }
        return ProofVerifier.verify(document, null).valid();
    }

    private static String around(byte[] bytes, int i) {
        return new String(
                bytes,
                Math.max(0, i - 20),
                Math.min(bytes.length, i + 20) - Math.max(0, i - 20),
                StandardCharsets.UTF_8);
    }

    private String path() {
        return "/v1/contacts/" + contact + "/proof";
    }

    private byte[] proof() {
        ApiClient.Response response = workspace.api().get(path(), workspace.adminKey());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text().getBytes(StandardCharsets.UTF_8);
    }

    /** The key /.well-known/optledger/keys serves for the workspace (its listing is cached, so read at the source). */
    private byte[] publishedKey(long workspaceId) {
        return keys.active(workspaceId).orElseThrow().publicKey().x();
    }

    private static String pem(byte[] x) {
        byte[] header = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] der = new byte[header.length + x.length];
        System.arraycopy(header, 0, der, 0, header.length);
        System.arraycopy(x, 0, der, header.length, x.length);
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    private Path file(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.US_ASCII));
    }

    record Result(int code, String out) {}

    private Result cli(Object... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "verify";
        for (int i = 0; i < args.length; i++) {
            argv[i + 1] = args[i].toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifyCommand.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8).strip());
    }
}

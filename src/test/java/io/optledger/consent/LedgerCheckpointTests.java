package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.ConsentLedger;
import io.optledger.consent.ledger.LedgerCheckpoints;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Await;
import io.optledger.support.Owner;
import io.optledger.support.Problems;
import io.optledger.support.TestWorkspace;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Signed checkpoints anchor every contact's chain outside the reach of whoever can write the database: a rewrite made
 * as the database superuser, with every later hash recomputed so that the chain holds, still shows.
 */
@ApiTest
@ExtendWith(OutputCaptureExtension.class)
class LedgerCheckpointTests {

    private static final HexFormat HEX = HexFormat.of();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    LedgerCheckpoints checkpoints;

    @Autowired
    ConsentLedger ledger;

    ApiClient api;
    TestWorkspace workspace;
    long contact;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        workspace = TestWorkspace.create(api);
        contact = workspace.contact("anchored@example.com", "+14155550123");
        for (String action : new String[] {"OPT_IN", "OPT_OUT", "OPT_IN"}) {
            workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action));
        }
    }

    @Test
    void signsACheckpointAfterChangesThatTheServedPublicKeyVerifies(CapturedOutput output) throws Exception {
        assertThat(workspace.verify(contact).get("checkpoint").isNull()).isTrue();
        checkpointThrough(3);

        JsonNode page = api.get("/v1/ledger/checkpoints", workspace.adminKey()).json();
        assertThat(page.get("checkpoints")).hasSize(1);
        JsonNode checkpoint = page.at("/checkpoints/0");
        assertThat(checkpoint.get("number").asLong()).isEqualTo(1);
        assertThat(checkpoint.get("contacts").asInt()).isEqualTo(1);
        assertThat(checkpoint.get("events").asLong()).isEqualTo(3);
        assertThat(checkpoint.get("prevRoot").asString()).isEqualTo("0".repeat(64));

        // the auditor's side: rebuild the entries digest and the signed text from the documented form, by hand
        JsonNode entries = api.get("/v1/ledger/checkpoints/1/entries", workspace.adminKey())
                .json()
                .get("entries");
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        List<String> eventHashes = new ArrayList<>();
        workspace.events(contact).forEach(e -> eventHashes.add(e.get("hash").asString()));
        assertThat(entry.get("hashes").valueStream().map(JsonNode::asString).toList())
                .isEqualTo(eventHashes);
        String line = contact + " 1 3 " + eventHashes.getLast() + " "
                + sha256Hex(HEX.parseHex(String.join("", eventHashes))) + "\n";
        assertThat(checkpoint.get("entriesDigest").asString())
                .isEqualTo(sha256Hex(line.getBytes(StandardCharsets.US_ASCII)));
        String signed = "optledger-checkpoint-v1\n"
                + "workspace=" + workspace.id() + "\n"
                + "number=1\n"
                + "createdAt=" + checkpoint.get("createdAt").asString() + "\n"
                + "keyId=" + checkpoint.get("keyId").asString() + "\n"
                + "prev=" + "0".repeat(64) + "\n"
                + "contacts=1\n"
                + "events=3\n"
                + "entries=" + checkpoint.get("entriesDigest").asString() + "\n";
        assertThat(checkpoint.get("signed").asString()).isEqualTo(signed);
        assertThat(checkpoint.get("root").asString()).isEqualTo(sha256Hex(signed.getBytes(StandardCharsets.UTF_8)));
        // and logged, a copy outside the database
        assertThat(output.getOut())
                .contains("Ledger checkpoint {\"workspace\":" + workspace.id() + ",\"number\":1,")
                .contains("\"root\":\"" + checkpoint.get("root").asString() + "\"");

        ApiClient.Response keys = api.get("/.well-known/optledger/keys", null);
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.text()).doesNotContain("\"d\"");
        JsonNode key = null;
        for (JsonNode k : keys.json().get("keys")) {
            if (k.get("kid").asString().equals(checkpoint.get("keyId").asString())) {
                key = k;
            }
        }
        assertThat(key).as("the checkpoint's key is served").isNotNull();
        assertThat(key.get("kty").asString()).isEqualTo("OKP");
        assertThat(key.get("crv").asString()).isEqualTo("Ed25519");
        assertThat(key.get("workspace").asLong()).isEqualTo(workspace.id());
        byte[] x = Base64.getUrlDecoder().decode(key.get("x").asString());
        assertThat(key.get("kid").asString()).isEqualTo(thumbprint(key.get("x").asString()));

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey(x));
        verifier.update(signed.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getUrlDecoder()
                        .decode(checkpoint.get("signature").asString())))
                .isTrue();

        // nothing changed since: the next round writes no checkpoint for this workspace
        checkpoints.checkpointOnce();
        assertThat(api.get("/v1/ledger/checkpoints", workspace.adminKey())
                        .json()
                        .get("checkpoints"))
                .hasSize(1);
        // a change since: the next checkpoint covers only it, and chains to the first
        workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", "OPT_OUT"));
        checkpointThrough(4);
        JsonNode second =
                api.get("/v1/ledger/checkpoints/2", workspace.adminKey()).json();
        assertThat(second.get("prevRoot").asString())
                .isEqualTo(checkpoint.get("root").asString());
        assertThat(second.get("events").asLong()).isEqualTo(1);
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void aWorkspaceReadsOnlyItsOwnCheckpoints() {
        checkpointThrough(3);
        assertThat(api.get("/v1/ledger/checkpoints", null).status()).isEqualTo(401);
        Problems.assertProblem(api.get("/v1/ledger/checkpoints/999", workspace.adminKey()), 404, "not-found");

        TestWorkspace other = TestWorkspace.create(api);
        assertThat(api.get("/v1/ledger/checkpoints", other.adminKey()).json().get("checkpoints"))
                .isEmpty();
        Problems.assertProblem(api.get("/v1/ledger/checkpoints/1", other.adminKey()), 404, "not-found");
        Problems.assertProblem(api.get("/v1/ledger/checkpoints/1/entries", other.adminKey()), 404, "not-found");
    }

    @Test
    void nodesCheckpointingAtOnceWriteOneCheckpointNotAFork(CapturedOutput output) throws Exception {
        List<Thread> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(Thread.ofPlatform().start(checkpoints::checkpointOnce));
        }
        for (Thread node : nodes) {
            node.join();
        }
        checkpointThrough(3);
        JsonNode all =
                api.get("/v1/ledger/checkpoints", workspace.adminKey()).json().get("checkpoints");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("events").asLong()).isEqualTo(3);
        // the others skipped the workspace, rather than losing a race on the checkpoint's number
        assertThat(output.getOut()).doesNotContain("Ledger checkpoint of workspace " + workspace.id() + " failed");
    }

    @Test
    void theCheckpointLogRefusesRewrites() {
        checkpointThrough(3);
        for (String sql : List.of(
                "update ledger_checkpoints set key_id = 'forged' where workspace_id = :ws",
                "delete from ledger_checkpoints where workspace_id = :ws",
                "update ledger_checkpoint_entries set to_seq = to_seq where workspace_id = :ws",
                "delete from ledger_checkpoint_entries where workspace_id = :ws")) {
            assertThatThrownBy(() -> jdbc.sql(sql).param("ws", workspace.id()).update())
                    .as(sql)
                    .isInstanceOf(DataAccessException.class)
                    .rootCause()
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void findsARewriteMadeAsTheSuperuserWithEveryLaterHashRecomputed() {
        checkpointThrough(3);
        assumeThat(Owner.jdbc(context)
                        .sql("select rolsuper from pg_roles where rolname = current_user")
                        .query(Boolean.class)
                        .single())
                .as("the embedded database's owner is its superuser")
                .isTrue();

        // forge the provenance of the opt-out, then rebuild the chain after it so that it holds again
        asSuperuser(() -> {
            List<ConsentEvent> events = ledger.events(workspace.id(), contact, 0, 100);
            String prev = LedgerHash.GENESIS;
            for (ConsentEvent e : events) {
                String source = e.seq() == 2 ? "customer-phoned-in" : e.source();
                ConsentEvent rewritten = withSourceAndPrev(e, source, prev, "");
                String hash = LedgerHash.of(rewritten);
                jdbc.sql("""
                                update consent_events set source = :source, prev_hash = decode(:prev, 'hex'),
                                    hash = decode(:hash, 'hex')
                                where workspace_id = :ws and contact_id = :id and seq = :seq
                                """)
                        .param("source", source)
                        .param("prev", prev)
                        .param("hash", hash)
                        .param("ws", workspace.id())
                        .param("id", contact)
                        .param("seq", e.seq())
                        .update();
                prev = hash;
            }
            jdbc.sql("update contacts set ledger_hash = decode(:head, 'hex') where id = :id")
                    .param("head", prev)
                    .param("id", contact)
                    .update();
        });

        // the chain alone holds: every hash recomputes and links, and the head is the last event
        List<ConsentEvent> events = ledger.events(workspace.id(), contact, 0, 100);
        assertThat(events.get(1).source()).isEqualTo("customer-phoned-in");
        String prev = LedgerHash.GENESIS;
        for (ConsentEvent e : events) {
            assertThat(e.prevHash()).isEqualTo(prev);
            assertThat(LedgerHash.of(e)).isEqualTo(e.hash());
            prev = e.hash();
        }

        // the checkpoint is what catches it, at the event that was changed
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("CHECKPOINT_MISMATCH");
        assertThat(verification.at("/firstMismatch/seq").asLong()).isEqualTo(2);
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(1);
        assertThat(verification.at("/checkpoint/throughSeq").asLong()).isEqualTo(3);

        // queueing the rewritten events again does not get the forgery signed: the entries, not the queue, say what is
        // covered, and what they cover is never signed twice
        jdbc.sql("""
                        insert into ledger_unchecked (workspace_id, contact_id, seq, hash)
                        select workspace_id, contact_id, seq, hash from consent_events
                        where workspace_id = :ws and contact_id = :id
                        """).param("ws", workspace.id()).param("id", contact).update();
        long signed = jdbc.sql("select count(*) from ledger_checkpoints where workspace_id = :ws")
                .param("ws", workspace.id())
                .query(Long.class)
                .single();
        // a round the background loop is running at the same moment makes this one skip the workspace
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            checkpoints.checkpointOnce();
            return jdbc.sql("select count(*) = 0 from ledger_unchecked where workspace_id = :ws and contact_id = :id")
                            .param("ws", workspace.id())
                            .param("id", contact)
                            .query(Boolean.class)
                            .single()
                    ? true
                    : null;
        });
        assertThat(jdbc.sql("select count(*) from ledger_checkpoints where workspace_id = :ws")
                        .param("ws", workspace.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(signed);
        assertThat(workspace.verify(contact).at("/firstMismatch/kind").asString())
                .isEqualTo("CHECKPOINT_MISMATCH");

        // nor does rewriting the checkpoint's record of the hashes: its digest and signature no longer hold
        asSuperuser(() ->
                jdbc.sql("""
                        update ledger_checkpoint_entries set hashes = (
                            select string_agg(hash, ''::bytea order by seq) from consent_events
                            where workspace_id = :ws and contact_id = :id)
                        where workspace_id = :ws and contact_id = :id
                        """).param("ws", workspace.id()).param("id", contact).update());
        JsonNode afterForgedLog = workspace.verify(contact);
        assertThat(afterForgedLog.get("valid").asBoolean()).isFalse();
        assertThat(afterForgedLog.at("/firstMismatch/kind").asString()).isEqualTo("CHECKPOINT_INVALID");
    }

    private void checkpointThrough(long seq) {
        // a round the background loop is running at the same moment makes this one skip the workspace
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            checkpoints.checkpointOnce();
            JsonNode anchor = workspace.verify(contact).get("checkpoint");
            return !anchor.isNull() && anchor.get("throughSeq").asLong() == seq ? anchor : null;
        });
    }

    private void asSuperuser(Runnable change) {
        List<String> triggers = List.of(
                "alter table consent_events %s trigger consent_events_append_only",
                "alter table ledger_checkpoint_entries %s trigger ledger_checkpoint_entries_append_only");
        JdbcClient owner = Owner.jdbc(context);
        triggers.forEach(t -> owner.sql(t.formatted("disable")).update());
        try {
            change.run();
        } finally {
            triggers.forEach(t -> owner.sql(t.formatted("enable")).update());
        }
    }

    private static ConsentEvent withSourceAndPrev(ConsentEvent e, String source, String prev, String hash) {
        return new ConsentEvent(
                e.workspaceId(),
                e.contactId(),
                e.seq(),
                e.channel(),
                e.address(),
                e.topic(),
                e.action(),
                e.outcome(),
                e.rejectReason(),
                e.from(),
                e.to(),
                e.suspendedUntil(),
                e.occurredAt(),
                e.recordedAt(),
                source,
                e.reason(),
                e.campaignId(),
                e.communicationId(),
                e.signUpUnit(),
                e.ip(),
                e.userAgent(),
                e.apiKeyId(),
                e.requestId(),
                e.details(),
                prev,
                hash,
                e.form(),
                e.commitments(),
                e.erasedAt());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 7638: SHA-256 of the required members in lexical order, base64url. */
    private static String thumbprint(String x) {
        String members = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(HEX.parseHex(sha256Hex(members.getBytes(StandardCharsets.UTF_8))));
    }

    /** An Ed25519 public key from its raw RFC 8032 encoding, the way a JWK's x carries it. */
    static PublicKey publicKey(byte[] x) throws Exception {
        byte[] reversed = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            reversed[i] = x[x.length - 1 - i];
        }
        boolean xOdd = (reversed[0] & 0x80) != 0;
        reversed[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, reversed));
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }
}

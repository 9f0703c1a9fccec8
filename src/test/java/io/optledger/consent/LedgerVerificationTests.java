package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Owner;
import io.optledger.support.TestWorkspace;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The ledger refuses rewrites, and the verifier finds the ones made behind its back. */
@ApiTest
class LedgerVerificationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationContext context;

    TestWorkspace workspace;
    long contact;

    @BeforeEach
    void setUp() {
        workspace = TestWorkspace.create(new ApiClient(port));
        contact = workspace.contact("ledger@example.com", "+14155550188");
        for (String action : new String[] {"OPT_IN", "OPT_OUT", "OPT_IN"}) {
            workspace.change(Map.of("contactId", contact, "channel", "EMAIL", "topic", "marketing", "action", action));
        }
        assertThat(workspace.verify(contact).get("valid").asBoolean()).isTrue();
    }

    @Test
    void theDatabaseRefusesToRewriteOrDeleteEvents() {
        assertThatThrownBy(() -> jdbc.sql("update consent_events set source = 'forged' where contact_id = :id")
                        .param("id", contact)
                        .update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from consent_events where contact_id = :id")
                        .param("id", contact)
                        .update())
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
    }

    @Test
    void findsAnEventEditedBehindTheTriggersBack() {
        behindTheTrigger("update consent_events set source = 'forged' where contact_id = :id and seq = 2");
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("HASH_MISMATCH");
        assertThat(verification.at("/firstMismatch/seq").asLong()).isEqualTo(2);
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(1);
    }

    @Test
    void writesTheSecondFormAndFindsAPersonalFieldEditedBehindTheTriggersBack() {
        assertThat(jdbc.sql("select distinct form from consent_events where contact_id = :id")
                        .param("id", contact)
                        .query(Integer.class)
                        .list())
                .containsExactly(2);
        // the address is not hashed as itself any more, so the edit shows only because it no longer opens its
        // commitment
        behindTheTrigger("update consent_events set address = 'other@example.com' where contact_id = :id and seq = 2");
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("HASH_MISMATCH");
        assertThat(verification.at("/firstMismatch/seq").asLong()).isEqualTo(2);
        assertThat(verification.at("/firstMismatch/detail").asString()).contains("address");
    }

    @Test
    void findsADeletedEvent() {
        behindTheTrigger("delete from consent_events where contact_id = :id and seq = 3");
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("HEAD_MISMATCH");
    }

    @Test
    void findsAStateThatDisagreesWithTheLedger() {
        jdbc.sql("update subscriptions set status = 'UNSUBSCRIBED' where contact_id = :id")
                .param("id", contact)
                .update();
        JsonNode verification = workspace.verify(contact);
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.at("/firstMismatch/kind").asString()).isEqualTo("STATE_MISMATCH");
        assertThat(verification.get("eventsChecked").asLong()).isEqualTo(3);
    }

    /** As the schema's owner: the application's own role cannot disable the trigger. */
    private void behindTheTrigger(String sql) {
        JdbcClient owner = Owner.jdbc(context);
        owner.sql("alter table consent_events disable trigger consent_events_append_only")
                .update();
        try {
            owner.sql(sql).param("id", contact).update();
        } finally {
            owner.sql("alter table consent_events enable trigger consent_events_append_only")
                    .update();
        }
    }
}

package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.contact.Channel;
import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 17: the consent write's statements, and the eligibility check's read of an address, run on their generic
 * plans. PostgreSQL would otherwise plan them afresh on every call (a plan for the values of statements over arrays
 * always looks cheaper), which for a one-change commit cost more than running them. And only they: the statements
 * after them plan as before, and the session's setting is back to its default.
 */
@ApiTest
class ConsentPlansTests {

    // The statements this session prepared (pgjdbc prepares a statement on the server from its fifth call). The pooled
    // connection may have served other tests' statements before, so each pattern matches its statement alone (the
    // suppression lookup joins the same `wanted(channel, address)` and is planned per call).
    private static final String PLANS = """
            select
                coalesce(sum(generic_plans) filter (where statement like '%for no key update of c%'
                    or statement like '%insert into consent_events%'), 0) as generic_consent,
                coalesce(sum(custom_plans) filter (where statement like '%for no key update of c%'
                    or statement like '%insert into consent_events%'), 0) as custom_consent,
                coalesce(sum(generic_plans) filter (where statement like '%from subscriptions s join unnest%'), 0)
                    as generic_eligibility,
                coalesce(sum(custom_plans) filter (where statement like '%from subscriptions s join unnest%'), 0)
                    as custom_eligibility,
                coalesce(sum(custom_plans) filter (where statement like '%plans probe%'), 0) as custom_after
            from pg_prepared_statements
            """;

    @LocalServerPort
    int port;

    @Autowired
    ConsentService consent;

    @Autowired
    ConsentReads reads;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theConsentWriteAndTheEligibilityReadRunOnTheirGenericPlansAndNothingAfterThem() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        long contact = workspace.contact("plans@example.com", "+14155553900");

        // one transaction, so one connection: its session's prepared statements are the ones this test made
        Map<String, Object> plans = transactions.execute(status -> {
            for (int i = 0; i < 8; i++) {
                List<ChangeOutcome> outcomes = consent.apply(new ConsentBatch(
                        workspace.id(),
                        RequestContext.none(),
                        List.of(new ConsentCommand(
                                ContactRef.id(contact),
                                Channel.EMAIL,
                                null,
                                "marketing",
                                i % 2 == 0 ? Action.OPT_IN : Action.OPT_OUT,
                                null,
                                null,
                                Provenance.of("test")))));
                assertThat(outcomes).singleElement().isNotInstanceOf(ChangeOutcome.Rejected.class);
                // a statement after the write, in the same transaction, whose plan depends on its value
                jdbc.sql("select count(*) /* plans probe */ from subscriptions where contact_id = :contact")
                        .param("contact", contact)
                        .query(Long.class)
                        .single();
                assertThat(reads.subscriptionsAt(workspace.id(), List.of(Channel.EMAIL), List.of("plans@example.com")))
                        .singleElement()
                        .extracting(Subscription::contactId)
                        .isEqualTo(contact);
            }
            assertThat(jdbc.sql("show plan_cache_mode").query(String.class).single())
                    .isEqualTo("auto");
            return jdbc.sql(PLANS).query().singleRow();
        });

        assertThat(((Number) plans.get("generic_consent")).longValue()).isPositive();
        assertThat(((Number) plans.get("custom_consent")).longValue()).isZero();
        assertThat(((Number) plans.get("generic_eligibility")).longValue()).isPositive();
        assertThat(((Number) plans.get("custom_eligibility")).longValue()).isZero();
        assertThat(((Number) plans.get("custom_after")).longValue()).isPositive();
    }
}

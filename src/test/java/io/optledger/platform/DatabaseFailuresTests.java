package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/** Issue 14: which database failures are a 503 (retry shortly) and which mean the server is gone. */
class DatabaseFailuresTests {

    @Test
    void aFullDiskARefusedWriteAndALostConnectionAreUnavailableNotErrors() {
        for (String state : new String[] {"53100", "53200", "53300", "25006", "57P01", "57P03", "08006", "58030"}) {
            assertThat(DatabaseFailures.isUnavailable(
                            new UncategorizedSQLException("insert", "insert ...", new SQLException("failed", state))))
                    .as(state)
                    .isTrue();
        }
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed");
        rollback.initCause(new SQLException("Connection is closed"));
        assertThat(DatabaseFailures.isUnavailable(rollback)).isTrue();
    }

    @Test
    void aConstraintOrAnyOtherFailureIsNot() {
        assertThat(DatabaseFailures.isUnavailable(
                        new DataIntegrityViolationException("dup", new SQLException("duplicate", "23505"))))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("bug")))
                .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("syntax", "42601")))
                .isFalse();
    }

    @Test
    void aBusyPoolIsUnavailableButOnlyARefusedConnectionMeansTheServerIsGone() {
        SQLTransientConnectionException busy =
                new SQLTransientConnectionException("Connection is not available, request timed out after 250ms");
        SQLTransientConnectionException refused = new SQLTransientConnectionException(
                "Connection is not available", "08001", new SQLException("Connection refused", "08001"));
        assertThat(DatabaseFailures.isUnavailable(busy)).isTrue();
        assertThat(DatabaseFailures.isUnreachable(busy)).isFalse();
        assertThat(DatabaseFailures.isUnreachable(refused)).isTrue();
        assertThat(DatabaseFailures.isUnreachable(new SQLException("starting up", "57P03")))
                .isTrue();
    }
}

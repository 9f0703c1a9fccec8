package io.optledger.transfer;

import io.optledger.support.WorkspaceApiTest;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: a measurement, run by hand (never timed by an assertion). Imports a generated file through the API and
 * then loads the same rows with a raw COPY and a set-based merge on the same database, and prints both rates:
 * {@code mvn test -Dtest=ImportMeasurement -Doptledger.measure=true -Drows=1000000 -Dcontacts=50000}.
 */
@EnabledIfSystemProperty(named = "optledger.measure", matches = "true")
class ImportMeasurement extends WorkspaceApiTest {

    @Autowired
    DataSource dataSource;

    @Test
    void measure() throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int contacts = Integer.getInteger("contacts", 50_000);
        api.post(
                "/v1/topics",
                workspace.adminKey(),
                "{\"key\":\"news\",\"name\":\"News\",\"kind\":\"MARKETING\",\"defaultOptIn\":false}");
        String csv = ImportVolumeTests.generate(rows, contacts, 18).csv();
        ImportClient imports = new ImportClient(port, workspace.adminKey());

        long start = System.nanoTime();
        JsonNode job = imports.await(imports.start("notify=false", "text/csv", csv), java.time.Duration.ofHours(3));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "MEASURE import: %d rows in %.1f s = %.0f rows/s (job's own rate %s), outcomes %s%n",
                rows, seconds, rows / seconds, job.get("rowsPerSecond"), job.get("outcomes"));

        start = System.nanoTime();
        JsonNode again = imports.await(imports.start("notify=false", "text/csv", csv), java.time.Duration.ofHours(3));
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "MEASURE re-import (contacts known): %d rows in %.1f s = %.0f rows/s, outcomes %s%n",
                rows, seconds, rows / seconds, again.get("outcomes"));

        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("set statement_timeout = 0");
            sql.execute("create temporary table raw_stage (email text, phone text, channel text, topic text,"
                    + " status text, occurred_at timestamptz)");
            sql.execute("create temporary table raw_contacts (id bigserial, email text primary key)");
            sql.execute("create temporary table raw_subs (contact_id bigint, channel text, address text, topic text,"
                    + " status text, occurred_at timestamptz, primary key (contact_id, channel, address, topic))");
            start = System.nanoTime();
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("copy raw_stage from stdin (format csv, header true)", new StringReader(csv));
            sql.execute("insert into raw_contacts (email) select distinct email from raw_stage on conflict do nothing");
            sql.execute("""
                    insert into raw_subs
                    select distinct on (c.id, s.channel, coalesce(s.phone, s.email), s.topic)
                        c.id, s.channel, coalesce(s.phone, s.email), s.topic, s.status, s.occurred_at
                    from raw_stage s join raw_contacts c on c.email = s.email
                    where s.topic in ('marketing', 'news') and (s.channel = 'EMAIL' or length(s.phone) > 5)
                    order by c.id, s.channel, coalesce(s.phone, s.email), s.topic, s.occurred_at desc,
                        (s.status = 'unsubscribed') desc
                    on conflict (contact_id, channel, address, topic) do update
                    set status = excluded.status, occurred_at = excluded.occurred_at
                    where excluded.occurred_at > raw_subs.occurred_at
                    """);
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "MEASURE raw COPY + set-based merge: %d rows in %.1f s = %.0f rows/s%n",
                    rows, seconds, rows / seconds);
        }
    }
}

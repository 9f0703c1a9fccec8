package io.optledger.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.Await;
import io.optledger.support.TestWorkspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link BulkRegistration#registerAll}, the import's registration of a chunk's contacts in a few set-based statements:
 * it decides each group as one {@link Contacts#register} per group after the other would, and it meets concurrent
 * sign-ups ({@link Contacts#idsOrCreate}, the API's path) and registrations at one contact.
 */
@ApiTest
class BulkRegistrationTests {

    @Autowired
    Contacts contacts;

    @Autowired
    BulkRegistration bulkRegistration;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    private static Identifier email(String value) {
        return new Identifier(Identifier.EMAIL, value);
    }

    private static Identifier phone(String value) {
        return new Identifier(Identifier.PHONE, value);
    }

    @Test
    void groupsAreDecidedInOrderAsOneRegistrationAfterTheOther() {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        long known = contacts.register(workspace, List.of(email("known@example.com")), Map.of())
                .contact()
                .id();
        long other = contacts.register(workspace, List.of(phone("+14155550199")), Map.of())
                .contact()
                .id();

        List<BulkRegistration.Registered> done = tx.execute(status -> bulkRegistration.registerAll(
                workspace,
                List.of(
                        List.of(email("new@example.com")),
                        // completes the contact the group before created
                        List.of(email("new@example.com"), phone("+14155550100")),
                        List.of(phone("+14155550100")),
                        // completes a contact that existed
                        List.of(email("known@example.com"), phone("+14155550101")),
                        // a second phone for the same contact: refused, nothing of it written
                        List.of(email("new@example.com"), phone("+14155550102")),
                        // two contacts named
                        List.of(email("known@example.com"), phone("+14155550199")),
                        // a new contact given two emails
                        List.of(email("a@example.com"), email("b@example.com")),
                        List.of(email("second@example.com")))));

        assertThat(done).hasSize(8);
        long created = done.get(0).contactId();
        assertThat(done.get(0).created()).isTrue();
        assertThat(done.get(1)).isEqualTo(new BulkRegistration.Registered(created, false, null));
        assertThat(done.get(2)).isEqualTo(new BulkRegistration.Registered(created, false, null));
        assertThat(done.get(3)).isEqualTo(new BulkRegistration.Registered(known, false, null));
        assertThat(done.get(4).contactId()).isNull();
        assertThat(done.get(4).conflict()).isEqualTo("contact " + created + " already has a different phone");
        assertThat(done.get(5).contactId()).isNull();
        assertThat(done.get(5).conflict()).contains("different contacts").contains(Long.toString(other));
        assertThat(done.get(6).contactId()).isNull();
        assertThat(done.get(7).created()).isTrue();
        assertThat(done.get(7).contactId()).isNotIn(created, known, other);

        assertThat(contacts.get(workspace, created).identifiers())
                .isEqualTo(Map.of("email", "new@example.com", "phone", "+14155550100"));
        assertThat(contacts.get(workspace, known).identifiers())
                .isEqualTo(Map.of("email", "known@example.com", "phone", "+14155550101"));
        assertThat(contacts.find(workspace, phone("+14155550102"))).isEmpty();
        assertThat(contacts.find(workspace, email("a@example.com"))).isEmpty();
        assertThat(count(workspace)).isEqualTo(4);
    }

    @Test
    void aSignUpWaitingOnAnImportsNewContactTakesIt() throws Exception {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        Identifier address = email("race-one@example.com");
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Long> imported = pool.submit(() -> tx.execute(status -> {
                long id = bulkRegistration
                        .registerAll(workspace, List.of(List.of(address)))
                        .getFirst()
                        .contactId();
                registered.countDown();
                await(commit);
                return id;
            }));
            registered.await();
            Future<Long> signedUp = pool.submit(
                    () -> tx.execute(status -> contacts.idsOrCreate(workspace, List.of(address), List.of(address))
                            .ids()
                            .get(address)));
            waitForALockWait();
            commit.countDown();
            assertThat(signedUp.get()).isEqualTo(imported.get());
        }
        assertThat(count(workspace)).isEqualTo(1);
    }

    @Test
    void anImportWaitingOnASignUpsNewContactTakesIt() throws Exception {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        Identifier address = email("race-two@example.com");
        Identifier mobile = phone("+14155550300");
        CountDownLatch signedUpYet = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Long> signedUp = pool.submit(() -> tx.execute(status -> {
                long id = contacts.idsOrCreate(workspace, List.of(address), List.of(address))
                        .ids()
                        .get(address);
                signedUpYet.countDown();
                await(commit);
                return id;
            }));
            signedUpYet.await();
            // the import's row names the email and a phone: the phone completes the sign-up's contact
            Future<List<BulkRegistration.Registered>> imported = pool.submit(() -> tx.execute(status ->
                    bulkRegistration.registerAll(workspace, List.of(List.of(address), List.of(address, mobile)))));
            waitForALockWait();
            commit.countDown();
            long id = signedUp.get();
            assertThat(imported.get())
                    .containsExactly(
                            new BulkRegistration.Registered(id, false, null),
                            new BulkRegistration.Registered(id, false, null));
            assertThat(contacts.get(workspace, id).identifiers())
                    .isEqualTo(Map.of("email", "race-two@example.com", "phone", "+14155550300"));
        }
        assertThat(count(workspace)).isEqualTo(1);
    }

    @Test
    void bulkRegistrationsSignUpsAndRegistrationsAtOnceMeetAtOneContact() throws Exception {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        int failures = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (int round = 0; round < 30; round++) {
                Identifier mail = email("together" + round + "@example.com");
                Identifier mobile = phone("+1415556" + String.format("%04d", round));
                CyclicBarrier together = new CyclicBarrier(3);
                List<Future<Long>> ids = new ArrayList<>();
                ids.add(pool.submit(() -> {
                    together.await();
                    return tx.execute(status -> bulkRegistration
                            .registerAll(workspace, List.of(List.of(mobile, mail)))
                            .getFirst()
                            .contactId());
                }));
                ids.add(pool.submit(() -> {
                    together.await();
                    return tx.execute(status -> contacts.idsOrCreate(workspace, List.of(mail), List.of(mail))
                            .ids()
                            .get(mail));
                }));
                ids.add(pool.submit(() -> {
                    together.await();
                    return contacts.register(workspace, List.of(mail, mobile), Map.of())
                            .contact()
                            .id();
                }));
                Set<Long> found = new HashSet<>();
                for (Future<Long> id : ids) {
                    try {
                        found.add(id.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures++;
                    }
                }
                assertThat(found).as("round %d", round).hasSize(1);
            }
        }
        assertThat(failures).as("registrations that failed").isZero();
        assertThat(count(workspace)).isEqualTo(30);
    }

    private long count(long workspace) {
        return JdbcClient.create(dataSource)
                .sql("select count(*) from contacts where workspace_id = :w")
                .param("w", workspace)
                .query(Long.class)
                .single();
    }

    /** Until some transaction waits on another's lock: the second caller has reached the identifier being written. */
    private void waitForALockWait() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        Await.until(
                Duration.ofSeconds(30),
                Duration.ofMillis(20),
                () -> jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                                + " and datname = current_database()")
                                        .query(Long.class)
                                        .single()
                                > 0
                        ? Boolean.TRUE
                        : null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.optledger.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 13, finding 3: registrations naming the same identifiers in different orders (the native API writes email
 * then phone, Attentive phone then email, custom identifiers come in JSON order) run at the same moment and all find
 * one contact: no deadlock, no error.
 */
@ApiTest
class ConcurrentRegistrationTests {

    private static final int ROUNDS = 40;
    private static final int CALLERS = 4;

    @Autowired
    Contacts contacts;

    @LocalServerPort
    int port;

    @Test
    void registrationsInOppositeOrdersMeetAtOneContactWithoutDeadlock() throws Exception {
        long workspace = TestWorkspace.create(new ApiClient(port)).id();
        int failures = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(CALLERS)) {
            for (int round = 0; round < ROUNDS; round++) {
                Identifier email = new Identifier(Identifier.EMAIL, "person" + round + "@example.com");
                Identifier phone = new Identifier(Identifier.PHONE, "+1415555" + String.format("%04d", round));
                Identifier loyalty = new Identifier("loyalty", "L-" + round);
                List<List<Identifier>> orders = List.of(
                        List.of(email, phone, loyalty),
                        List.of(phone, email, loyalty),
                        List.of(loyalty, phone, email),
                        List.of(phone, loyalty, email));
                CyclicBarrier together = new CyclicBarrier(CALLERS);
                List<Future<Long>> ids = new ArrayList<>();
                for (List<Identifier> order : orders) {
                    ids.add(pool.submit(() -> {
                        together.await();
                        return contacts.register(workspace, order, Map.of())
                                .contact()
                                .id();
                    }));
                }
                Set<Long> found = new HashSet<>();
                for (Future<Long> id : ids) {
                    try {
                        found.add(id.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures++;
                    }
                }
                assertThat(found).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            }
        }
        assertThat(failures).as("registrations that failed").isZero();
    }
}

package io.optledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The model-based test of the consent rules: random step sequences across every entry point (native changes with
 * chosen, back-dated, future-dated and absent times; Attentive sign-ups and unsubscribes; SMS keywords; suppressions;
 * topic changes; clock advances and waits past pauses), run over HTTP against the service and against
 * {@link ConsentModel}. A failing sequence is shrunk and written to {@code target/model-failures/}; kept in
 * {@code src/test/resources/model/regressions.txt}, it runs first every time.
 *
 * <p>Bounded in time: {@code -Doptledger.model.seconds=N} (default 60) and {@code -Doptledger.model.seed=S} to replay
 * one run's sequences.
 */
@ApiTest
class ConsentModelTests {

    private static final int LENGTH = 30;

    @LocalServerPort
    int port;

    @Test
    void keptRegressionSequencesMatchTheModel() throws IOException {
        ApiClient api = new ApiClient(port);
        List<List<Op>> cases = regressionCases();
        assertThat(cases).isNotEmpty();
        for (List<Op> ops : cases) {
            SequenceRun.Result result = SequenceRun.run(api, ops);
            assertThat(result.failed())
                    .as("%s\n%s", result.message(), SequenceRun.describe(ops))
                    .isFalse();
        }
    }

    @Test
    void randomSequencesMatchTheModel() throws IOException {
        ApiClient api = new ApiClient(port);
        long seconds = Long.getLong("optledger.model.seconds", 60);
        long seed = Long.getLong("optledger.model.seed", System.currentTimeMillis());
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int sequences = 0;
        int steps = 0;
        int inconclusive = 0;
        for (long s = seed; System.nanoTime() < deadline; s++) {
            List<Op> ops = new OpGenerator(s).sequence(LENGTH);
            SequenceRun.Result result = SequenceRun.run(api, ops);
            sequences++;
            steps += result.kind() == SequenceRun.Result.Kind.PASSED ? ops.size() : result.step();
            if (result.kind() == SequenceRun.Result.Kind.INCONCLUSIVE) {
                if (inconclusive < 3) {
                    System.out.printf(
                            "consent model: seed %d inconclusive at step %d: %s%n", s, result.step(), result.message());
                }
                inconclusive++;
            }
            if (result.failed()) {
                List<Op> shrunk = Shrinker.shrink(
                        ops, candidate -> SequenceRun.run(api, candidate).failed(), 80);
                SequenceRun.Result again = SequenceRun.run(api, shrunk);
                Path kept = keep(s, shrunk, again.message());
                fail(
                        "seed %d: %s\nshrunk to %d steps (%s): %s\n%s",
                        s, result.message(), shrunk.size(), kept, again.message(), SequenceRun.describe(shrunk));
            }
        }
        System.out.printf(
                "consent model: %d sequences, %d steps, %d inconclusive, seeds %d..%d%n",
                sequences, steps, inconclusive, seed, seed + sequences - 1);
        assertThat(sequences).isPositive();
        assertThat(inconclusive).isLessThan(Math.max(2, sequences / 10));
    }

    private static Path keep(long seed, List<Op> ops, String why) throws IOException {
        Path dir = Path.of("target", "model-failures");
        Files.createDirectories(dir);
        Path file = dir.resolve("seed-" + seed + ".txt");
        Files.writeString(file, "# " + why.replace("\n", " ") + "\n" + SequenceRun.describe(ops));
        return file;
    }

    /** The kept sequences: blocks of step lines separated by blank lines; lines starting with # are comments. */
    private static List<List<Op>> regressionCases() throws IOException {
        List<List<Op>> cases = new ArrayList<>();
        try (InputStream in = ConsentModelTests.class.getResourceAsStream("/model/regressions.txt")) {
            assertThat(in).as("model/regressions.txt").isNotNull();
            List<Op> current = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    if (!current.isEmpty()) {
                        cases.add(current);
                        current = new ArrayList<>();
                    }
                } else if (!line.startsWith("#")) {
                    current.add(Op.parse(line));
                }
            }
            if (!current.isEmpty()) {
                cases.add(current);
            }
        }
        return cases;
    }
}

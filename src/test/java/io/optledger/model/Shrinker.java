package io.optledger.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing sequence: drops ever smaller chunks of steps, then single steps, for as long as what is left still
 * fails (delta debugging, bounded by a number of re-runs).
 */
final class Shrinker {

    private Shrinker() {}

    static List<Op> shrink(List<Op> failing, Predicate<List<Op>> stillFails, int maxRuns) {
        List<Op> current = new ArrayList<>(failing);
        int runs = 0;
        int chunk = Math.max(1, current.size() / 2);
        while (chunk >= 1 && runs < maxRuns) {
            boolean shrunk = false;
            for (int from = 0; from + chunk <= current.size() && runs < maxRuns; ) {
                List<Op> candidate = new ArrayList<>(current.subList(0, from));
                candidate.addAll(current.subList(from + chunk, current.size()));
                runs++;
                if (!candidate.isEmpty() && stillFails.test(candidate)) {
                    current = candidate;
                    shrunk = true;
                } else {
                    from += chunk;
                }
            }
            if (!shrunk) {
                chunk /= 2;
            }
        }
        return current;
    }
}

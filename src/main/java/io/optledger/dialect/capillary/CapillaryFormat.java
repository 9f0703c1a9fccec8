package io.optledger.dialect.capillary;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** Capillary's request conventions: the {@code format} parameter, and customers named by one identifier. */
final class CapillaryFormat {

    static final String JSON = "json";

    /** Subscriptions per request, in v1.1 and v2; more is refused whole with code 1060. */
    static final int MAX_ITEMS = 100;

    private CapillaryFormat() {}

    /** Capillary also speaks XML; this dialect answers JSON only, and says so rather than answer in another format. */
    static void requireJson(String format) {
        if (!format.strip().equalsIgnoreCase(JSON)) {
            throw CapillaryFailure.badRequest("format '" + format + "' is not supported; use format=json");
        }
    }

    static void requireWithinBatchLimit(int items) {
        if (items > MAX_ITEMS) {
            throw new CapillaryFailure(
                    HttpStatus.BAD_REQUEST,
                    CapillaryCode.BATCH_LIMIT_EXCEEDED.code(),
                    CapillaryCode.BATCH_LIMIT_EXCEEDED.message(
                            "at most " + MAX_ITEMS + " subscriptions per request, not " + items));
        }
    }

    /** The one identifier given among v1.1's mobile, email, external_id and id, as (type, value); empty unless one. */
    static Optional<Map.Entry<String, String>> one(
            @Nullable String mobile, @Nullable String email, @Nullable String externalId, @Nullable String id) {
        Map.Entry<String, String> named = null;
        int given = 0;
        for (var candidate :
                new String[][] {{"mobile", mobile}, {"email", email}, {"external_id", externalId}, {"id", id}}) {
            if (candidate[1] != null) {
                named = new SimpleEntry<>(candidate[0], candidate[1]);
                given++;
            }
        }
        return given == 1 ? Optional.of(named) : Optional.empty();
    }
}

package io.optledger.dialect.capillary;

import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Capillary's request conventions: the {@code format} parameter, and customers named by one identifier. */
final class CapillaryFormat {

    static final String JSON = "json";

    private CapillaryFormat() {}

    /** Capillary also speaks XML; this dialect answers JSON only, and says so rather than answer in another format. */
    static void requireJson(String format) {
        if (!format.strip().equalsIgnoreCase(JSON)) {
            throw CapillaryFailure.badRequest("format '" + format + "' is not supported; use format=json");
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

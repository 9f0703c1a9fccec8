package io.optledger.platform;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The limits of the free-form maps kept as JSON (contact attributes, subscription properties): at most
 * {@value #MAX_ENTRIES} entries a level and {@value #MAX_DEPTH} levels, names of 1 to {@value #MAX_NAME} characters,
 * texts of at most {@value #MAX_TEXT} characters, finite numbers. One request cannot store unbounded data, nor a value
 * JSON cannot hold.
 */
public final class FreeForm {

    public static final int MAX_ENTRIES = 100;
    public static final int MAX_DEPTH = 4;
    public static final int MAX_NAME = 64;
    public static final int MAX_TEXT = 1_024;

    private FreeForm() {}

    /** Rejects a map over the limits, naming the entry at fault ({@code attributes.address.city}). */
    public static void check(String field, Map<String, ?> values) {
        checkMap(field, values, 1);
    }

    private static void checkMap(String field, Map<?, ?> values, int depth) {
        if (values.size() > MAX_ENTRIES) {
            throw new InvalidInput(field, "at most " + MAX_ENTRIES + " entries, not " + values.size());
        }
        values.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (name.isEmpty() || name.length() > MAX_NAME) {
                throw new InvalidInput(field, "a name is 1 to " + MAX_NAME + " characters");
            }
            checkValue(field + "." + name, value, depth);
        });
    }

    private static void checkValue(String field, @Nullable Object value, int depth) {
        switch (value) {
            case null -> {}
            case String text
            when text.length() > MAX_TEXT ->
                throw new InvalidInput(field, "a text is at most " + MAX_TEXT + " characters");
            case Double number
            when !Double.isFinite(number) -> throw new InvalidInput(field, "a number must be finite");
            case Float number when !Float.isFinite(number) -> throw new InvalidInput(field, "a number must be finite");
            case Map<?, ?> map -> {
                requireDepth(field, depth);
                checkMap(field, map, depth + 1);
            }
            case Collection<?> items -> {
                requireDepth(field, depth);
                if (items.size() > MAX_ENTRIES) {
                    throw new InvalidInput(field, "at most " + MAX_ENTRIES + " items, not " + items.size());
                }
                for (Object item : items) {
                    checkValue(field, item, depth + 1);
                }
            }
            default -> {}
        }
    }

    private static void requireDepth(String field, int depth) {
        if (depth >= MAX_DEPTH) {
            throw new InvalidInput(field, "values nest at most " + MAX_DEPTH + " levels");
        }
    }
}

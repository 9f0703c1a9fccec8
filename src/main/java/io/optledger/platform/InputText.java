package io.optledger.platform;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Text any API accepts: no NUL (PostgreSQL cannot store it in text or jsonb) and no unpaired surrogate (not Unicode,
 * so not storable as UTF-8). Checked once at the edge, so a bad character is a 400 naming the field, never a 500 from
 * the database halfway through a change.
 */
public final class InputText {

    private InputText() {}

    /** Rejects a value holding a NUL or an unpaired surrogate, naming the field. */
    public static void check(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new InvalidInput(field, "contains a NUL character (\\u0000), which is not accepted in text");
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInput(
                        field, "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not text");
            }
        }
    }

    /**
     * Checks every string in a read request body: record components, map keys and values, collection and array items,
     * JSON trees. Fields are named by their path ({@code items[2].source}).
     */
    public static void checkAll(String path, @Nullable Object value) {
        switch (value) {
            case null -> {}
            case String text -> check(path.isEmpty() ? "body" : path, text);
            case JsonNode node -> checkNode(path, node);
            case Map<?, ?> map ->
                map.forEach((key, item) -> {
                    String name = join(path, String.valueOf(key));
                    if (key instanceof String text) {
                        check(name, text);
                    }
                    checkAll(name, item);
                });
            case Collection<?> items -> {
                int i = 0;
                for (Object item : items) {
                    checkAll(path + "[" + i++ + "]", item);
                }
            }
            case Object[] items -> {
                for (int i = 0; i < items.length; i++) {
                    checkAll(path + "[" + i + "]", items[i]);
                }
            }
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    checkAll(join(path, component.getName()), read(component, record));
                }
            }
            default -> {}
        }
    }

    private static void checkNode(String path, JsonNode node) {
        if (node.isString()) {
            check(path.isEmpty() ? "body" : path, node.asString());
        } else if (node.isObject()) {
            node.properties().forEach(entry -> {
                String name = join(path, entry.getKey());
                check(name, entry.getKey());
                checkNode(name, entry.getValue());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkNode(path + "[" + i + "]", node.get(i));
            }
        }
    }

    private static @Nullable Object read(RecordComponent component, Record record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}

package io.optledger.platform;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
        checkAll(new Path(null, path, -1), value);
    }

    // Runs on every request body: the record accessors are looked up once per class, and a field's path is only
    // rendered for the error it names (reflection and path strings per field were a fifth of a batch write's garbage).
    private static void checkAll(Path path, @Nullable Object value) {
        switch (value) {
            case null -> {}
            case String text -> check(path, text);
            case JsonNode node -> checkNode(path, node);
            case Map<?, ?> map ->
                map.forEach((key, item) -> {
                    Path name = path.field(String.valueOf(key));
                    if (key instanceof String text) {
                        check(name, text);
                    }
                    checkAll(name, item);
                });
            case Collection<?> items -> {
                int i = 0;
                for (Object item : items) {
                    checkAll(path.index(i++), item);
                }
            }
            case Object[] items -> {
                for (int i = 0; i < items.length; i++) {
                    checkAll(path.index(i), items[i]);
                }
            }
            case Record record -> {
                for (Component component : COMPONENTS.get(record.getClass())) {
                    checkAll(path.field(component.name()), component.read(record));
                }
            }
            default -> {}
        }
    }

    private static void checkNode(Path path, JsonNode node) {
        if (node.isString()) {
            check(path, node.asString());
        } else if (node.isObject()) {
            node.properties().forEach(entry -> {
                Path name = path.field(entry.getKey());
                check(name, entry.getKey());
                checkNode(name, entry.getValue());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkNode(path.index(i), node.get(i));
            }
        }
    }

    private static void check(Path path, String value) {
        if (isClean(value)) {
            return;
        }
        String field = path.render();
        check(field.isEmpty() ? "body" : field, value);
    }

    /** True when the value has neither a NUL nor an unpaired surrogate: the common case, without allocating. */
    private static boolean isClean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    Method accessor = component.getAccessor();
                    accessor.setAccessible(true);
                    MethodHandle getter = MethodHandles.lookup()
                            .unreflect(accessor)
                            .asType(MethodType.methodType(Object.class, Object.class));
                    components.add(new Component(component.getName(), getter));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
            return List.copyOf(components);
        }
    };

    private record Component(String name, MethodHandle getter) {

        @Nullable
        Object read(Record record) {
            try {
                return (Object) getter.invokeExact((Object) record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + name, e);
            }
        }
    }

    /** A field's path, rendered only when needed: {@code items[2].source}. */
    private record Path(@Nullable Path parent, String name, int index) {

        Path field(String field) {
            return new Path(this, field, -1);
        }

        Path index(int i) {
            return new Path(this, "", i);
        }

        String render() {
            String before = parent == null ? "" : parent.render();
            if (index >= 0) {
                return before + "[" + index + "]";
            }
            return before.isEmpty() ? name : name.isEmpty() ? before : before + "." + name;
        }
    }
}

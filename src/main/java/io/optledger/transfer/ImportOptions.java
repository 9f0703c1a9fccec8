package io.optledger.transfer;

import io.optledger.platform.InvalidInput;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to read one upload, from its query parameters: {@code format} (else the Content-Type), {@code dryRun},
 * {@code notify} (false: no change events to webhooks and Kafka), {@code map.<field>=<column>} to read a field from a
 * column of another name, and {@code default.<field>=<value>} for rows that leave a field empty.
 */
public record ImportOptions(
        ImportFormat format,
        boolean dryRun,
        boolean notifyChanges,
        Map<ImportField, String> mapping,
        Map<ImportField, String> defaults) {

    public ImportOptions {
        mapping = Map.copyOf(mapping);
        defaults = Map.copyOf(defaults);
    }

    /** The column (or NDJSON key) that holds the field. */
    public String columnOf(ImportField field) {
        return mapping.getOrDefault(field, field.column());
    }

    public static ImportOptions of(Map<String, String[]> parameters, @Nullable String contentType) {
        Map<ImportField, String> mapping = new EnumMap<>(ImportField.class);
        Map<ImportField, String> defaults = new EnumMap<>(ImportField.class);
        boolean dryRun = false;
        boolean notify = true;
        String format = null;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (parameter.getValue().length != 1) {
                throw new InvalidInput(name, "give '" + name + "' once");
            }
            String value = parameter.getValue()[0];
            if (name.equals("format")) {
                format = value;
            } else if (name.equals("dryRun")) {
                dryRun = bool(name, value);
            } else if (name.equals("notify")) {
                notify = bool(name, value);
            } else if (name.startsWith("map.")) {
                ImportField field = field(name, name.substring(4));
                if (value.isBlank()) {
                    throw new InvalidInput(name, "name the column that holds " + field.column());
                }
                mapping.put(field, value);
            } else if (name.startsWith("default.")) {
                ImportField field = field(name, name.substring(8));
                if (!field.defaultable()) {
                    throw new InvalidInput(name, field.column() + " has no default: each row gives its own");
                }
                defaults.put(field, value);
            } else {
                throw new InvalidInput(
                        name, "unknown parameter '" + name + "': format, dryRun, notify, map.<field>, default.<field>");
            }
        }
        ImportFormat chosen = ImportFormat.of(format, contentType);
        if (chosen == null) {
            throw new InvalidInput(
                    "format", "send Content-Type text/csv or application/x-ndjson, or give format=csv|ndjson");
        }
        ImportOptions options = new ImportOptions(chosen, dryRun, notify, mapping, defaults);
        // the defaults are checked now, once, not found wrong at every row
        RowBuilder.checkDefaults(options);
        return options;
    }

    private static ImportField field(String parameter, String column) {
        return ImportField.named(column)
                .orElseThrow(() -> new InvalidInput(parameter, "'" + column + "' is not an import field"));
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInput(name, "'" + value + "' is not true or false");
        };
    }
}

package io.optledger.transfer;

import io.optledger.platform.InvalidInput;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A CSV file's rows: the header row names the columns; each field is read from its column (see {@link
 * ImportOptions#columnOf}), custom identifiers from the columns {@code identifier.<name>}; other columns are ignored.
 */
final class CsvRows implements RowSource {

    private static final String IDENTIFIER = "identifier.";

    private final CsvReader csv;
    private final ImportOptions options;
    private final RowBuilder rows;
    private @Nullable Map<ImportField, Integer> columns;
    private final Map<String, Integer> identifierColumns = new LinkedHashMap<>();
    private int width;
    private long row;

    CsvRows(CsvReader csv, ImportOptions options, RowBuilder rows) {
        this.csv = csv;
        this.options = options;
        this.rows = rows;
    }

    @Override
    public @Nullable StagedRow next() throws IOException {
        if (columns == null) {
            header();
        }
        List<String> fields = csv.next();
        if (fields == null) {
            return null;
        }
        row++;
        if (fields.size() != width) {
            throw new InvalidInput(
                    "body", "CSV row " + row + " has " + fields.size() + " fields; the header row has " + width);
        }
        Map<String, String> identifiers = new HashMap<>();
        identifierColumns.forEach((name, index) -> {
            String value = fields.get(index);
            if (!value.isBlank()) {
                identifiers.put(name, value);
            }
        });
        Map<ImportField, Integer> at = columns;
        return rows.build(
                row,
                field -> {
                    Integer index = at.get(field);
                    return index == null ? null : fields.get(index);
                },
                identifiers);
    }

    private void header() throws IOException {
        List<String> names = csv.next();
        if (names == null) {
            throw new InvalidInput("body", "the file is empty: a CSV import starts with a header row");
        }
        width = names.size();
        Map<String, Integer> byName = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (!name.isEmpty() && byName.putIfAbsent(name, i) != null) {
                duplicates.add(name);
            }
            if (name.startsWith(IDENTIFIER) && name.length() > IDENTIFIER.length()) {
                identifierColumns.put(name.substring(IDENTIFIER.length()), i);
            }
        }
        Map<ImportField, Integer> found = new EnumMap<>(ImportField.class);
        for (ImportField field : ImportField.values()) {
            String column = options.columnOf(field);
            if (duplicates.contains(column)) {
                throw new InvalidInput("body", "the header row names the column '" + column + "' twice");
            }
            Integer index = byName.get(column);
            if (index != null) {
                found.put(field, index);
            } else if (options.mapping().containsKey(field)) {
                throw new InvalidInput(
                        "map." + field.column(), "the header row has no column '" + column + "'; it has " + names);
            }
        }
        if (!found.containsKey(ImportField.EMAIL)
                && !found.containsKey(ImportField.PHONE)
                && !found.containsKey(ImportField.EXTERNAL_ID)
                && identifierColumns.isEmpty()) {
            throw new InvalidInput(
                    "body",
                    "the header row has no identifier column: name one email, phone, externalId or identifier.<name>,"
                            + " or map one with map.email=<column>");
        }
        columns = found;
    }
}

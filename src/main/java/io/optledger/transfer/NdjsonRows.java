package io.optledger.transfer;

import io.optledger.platform.InvalidInput;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An NDJSON file's rows: one JSON object per line, each field under its key (see {@link ImportOptions#columnOf}),
 * custom identifiers in an object {@code identifiers}; other keys are ignored, blank lines skipped. A value is text or
 * a number (taken as its text) or null; any other type is the file's error.
 */
final class NdjsonRows implements RowSource {

    private static final int MAX_LINE = 1024 * 1024;

    private final Reader in;
    private final ImportOptions options;
    private final RowBuilder rows;
    private final JsonMapper json;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int length;
    private boolean started;
    private long row;

    NdjsonRows(Reader in, ImportOptions options, RowBuilder rows, JsonMapper json) {
        this.in = in;
        this.options = options;
        this.rows = rows;
        this.json = json;
    }

    @Override
    public @Nullable StagedRow next() throws IOException {
        while (true) {
            if (!readLine()) {
                return null;
            }
            row++;
            if (line.toString().isBlank()) {
                row--;
                continue;
            }
            String at = "line " + row;
            JsonNode object;
            try {
                object = json.readTree(line.toString());
            } catch (JacksonException e) {
                throw new InvalidInput("body", "NDJSON " + at + " is not JSON: " + e.getOriginalMessage());
            }
            if (object == null || !object.isObject()) {
                throw new InvalidInput("body", "NDJSON " + at + " is not a JSON object");
            }
            Map<String, String> identifiers = new HashMap<>();
            JsonNode custom = object.get("identifiers");
            if (custom != null && !custom.isNull()) {
                if (!custom.isObject()) {
                    throw new InvalidInput("body", "NDJSON " + at + ": identifiers is an object of name to value");
                }
                for (Map.Entry<String, JsonNode> e : custom.properties()) {
                    String value = text(at + " identifiers." + e.getKey(), e.getValue());
                    if (value != null && !value.isBlank()) {
                        identifiers.put(e.getKey(), value);
                    }
                }
            }
            long number = row;
            return rows.build(
                    number,
                    field -> {
                        String key = options.columnOf(field);
                        return text("line " + number + " " + key, object.get(key));
                    },
                    identifiers);
        }
    }

    private static @Nullable String text(String at, @Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return RowSource.checked(at, value.asString());
        }
        if (value.isNumber()) {
            return value.asString();
        }
        throw new InvalidInput("body", "NDJSON " + at + " is " + value.getNodeType() + ", not text");
    }

    /** The next line into {@code line}, without its terminator; false at the end of the text. */
    private boolean readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (position == length) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return any;
                }
                position = 0;
                length = n;
                if (!started && n > 0) {
                    started = true;
                    if (buffer[0] == '\uFEFF') {
                        position = 1;
                    }
                }
                continue;
            }
            any = true;
            char c = buffer[position++];
            if (c == '\n') {
                return true;
            }
            if (c != '\r') {
                if (line.length() == MAX_LINE) {
                    throw new InvalidInput(
                            "body", "NDJSON line " + (row + 1) + " is longer than " + MAX_LINE + " characters");
                }
                line.append(c);
            }
        }
    }
}

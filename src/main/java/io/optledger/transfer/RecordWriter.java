package io.optledger.transfer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes records with fixed columns to a stream as CSV (a header row, then RFC 4180 rows) or NDJSON (an object per
 * line, null fields left out), buffered: memory stays constant however many records pass.
 */
final class RecordWriter {

    private final ImportFormat format;
    private final List<String> columns;
    private final Writer out;
    private final JsonMapper json;

    RecordWriter(ImportFormat format, List<String> columns, OutputStream stream, JsonMapper json) {
        this.format = format;
        this.columns = List.copyOf(columns);
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        this.json = json;
        if (format == ImportFormat.CSV) {
            line(columns.stream().map(c -> (Object) c).toList());
        }
    }

    /** One record; its keys are among the columns (NDJSON may carry more: objects the CSV cannot hold). */
    void write(Map<String, Object> record) {
        if (format == ImportFormat.NDJSON) {
            try {
                out.write(json.writeValueAsString(record));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        line(columns.stream().map(record::get).toList());
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(List<Object> values) {
        try {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                Object value = values.get(i);
                if (value != null) {
                    out.write(csv(value.toString()));
                }
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(String value) {
        boolean quote = value.isEmpty()
                || value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}

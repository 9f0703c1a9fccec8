package io.optledger.transfer;

import io.optledger.platform.InputLimits;
import io.optledger.platform.InvalidInput;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 4180 records from text as it arrives: fields separated by commas, records by CRLF (or LF, or CR), a field
 * quoted with '"' when it holds a comma, a quote (doubled) or a line break. A leading byte order mark is skipped and
 * blank lines are ignored. Broken quoting, a NUL character or a field longer than {@link InputLimits#MAX_STRING} is an
 * {@link InvalidInput} naming the record.
 */
final class CsvReader {

    private static final int MAX_FIELDS = 512;

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int length;
    private boolean started;
    private long records;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** Records read so far, the header included. */
    long records() {
        return records;
    }

    /** The next record's fields, or null at the end of the text. */
    @Nullable
    List<String> next() throws IOException {
        while (true) {
            int first = peek();
            if (first == -1) {
                return null;
            }
            if (first == '\r' || first == '\n') {
                endOfLine();
                continue;
            }
            records++;
            return record();
        }
    }

    private List<String> record() throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            field.setLength(0);
            int c = peek();
            if (c == '"') {
                read();
                quoted(field);
            } else {
                unquoted(field);
            }
            if (fields.size() == MAX_FIELDS) {
                throw invalid("has more than " + MAX_FIELDS + " fields");
            }
            fields.add(field.toString());
            c = read();
            if (c == ',') {
                continue;
            }
            if (c == '\r' && peek() == '\n') {
                read();
            }
            return fields;
        }
    }

    private void unquoted(StringBuilder field) throws IOException {
        for (int c = peek(); c != -1 && c != ',' && c != '\r' && c != '\n'; c = peek()) {
            if (c == '"') {
                throw invalid("has a quote inside an unquoted field: quote the field and double the quote");
            }
            append(field, (char) read());
        }
    }

    private void quoted(StringBuilder field) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw invalid("has a quoted field that is never closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                } else {
                    int after = peek();
                    if (after != -1 && after != ',' && after != '\r' && after != '\n') {
                        throw invalid("has text after a closing quote: a quote inside a field is doubled");
                    }
                    return;
                }
            }
            append(field, (char) c);
        }
    }

    private void append(StringBuilder field, char c) {
        if (c == '\0') {
            throw invalid("holds a NUL character");
        }
        if (field.length() == InputLimits.MAX_STRING) {
            throw invalid("has a field longer than " + InputLimits.MAX_STRING + " characters");
        }
        field.append(c);
    }

    private void endOfLine() throws IOException {
        if (read() == '\r' && peek() == '\n') {
            read();
        }
    }

    private InvalidInput invalid(String problem) {
        String at = records <= 1 ? "the header row" : "row " + (records - 1);
        return new InvalidInput("body", "CSV " + at + " " + problem);
    }

    private int peek() throws IOException {
        if (position == length && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == length && !fill()) {
            return -1;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        length = n;
        if (!started) {
            started = true;
            if (buffer[0] == '\uFEFF') {
                position = 1;
                return length > 1 || fill();
            }
        }
        return true;
    }
}

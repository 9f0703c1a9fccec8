package io.optledger.transfer;

import io.optledger.platform.InvalidInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rows of an uploaded file, read one at a time as the body arrives: nothing but the row at hand is held. A file
 * that is not what its format says (not UTF-8, a NUL character, broken quoting, a line that is no JSON object, a value
 * of the wrong type) fails with {@link InvalidInput} naming the row.
 */
interface RowSource {

    /** The next row, or null after the last. */
    @Nullable
    StagedRow next() throws IOException;

    static RowSource of(ImportOptions options, InputStream body, Instant receivedAt, JsonMapper json) {
        Reader text = new InputStreamReader(
                body,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
        RowBuilder rows = new RowBuilder(options, receivedAt);
        return switch (options.format()) {
            case CSV -> new CsvRows(new CsvReader(text), options, rows);
            case NDJSON -> new NdjsonRows(text, options, rows, json);
        };
    }

    /** Refuses text PostgreSQL cannot store, and a file never should hold. */
    static String checked(String at, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInput(at, at + " holds a NUL character");
        }
        return value;
    }
}

package io.optledger.transfer;

import io.optledger.platform.InvalidInput;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** The file formats an import reads and an export writes. */
public enum ImportFormat {
    /** RFC 4180: a header row, comma-separated, fields quoted with '"' where needed; UTF-8, with or without a BOM. */
    CSV("text/csv"),
    /** One JSON object per line, UTF-8. */
    NDJSON("application/x-ndjson");

    private final String mediaType;

    ImportFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format a {@code format} parameter names, else the one a Content-Type (or Accept) names, else null. */
    public static @Nullable ImportFormat of(@Nullable String parameter, @Nullable String mediaType) {
        if (parameter != null) {
            return switch (parameter.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "ndjson", "jsonl" -> NDJSON;
                default -> throw new InvalidInput("format", "'" + parameter + "' is not a format: csv or ndjson");
            };
        }
        if (mediaType == null) {
            return null;
        }
        try {
            for (MediaType type : MediaType.parseMediaTypes(mediaType)) {
                String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
                if (type.getType().equalsIgnoreCase("text") && subtype.equals("csv")) {
                    return CSV;
                }
                if (subtype.equals("x-ndjson") || subtype.equals("ndjson") || subtype.equals("jsonl")) {
                    return NDJSON;
                }
            }
        } catch (InvalidMediaTypeException e) {
            return null;
        }
        return null;
    }
}

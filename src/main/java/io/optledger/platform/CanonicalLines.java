package io.optledger.platform;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * The line form every hash chain of the ledger is computed over (docs/ledger.md): one {@code name=value} line per
 * field, a missing value written as the name alone (so null and "" hash apart), and {@code \}, line feed and carriage
 * return escaped so that no value can forge a line of its own.
 */
public final class CanonicalLines {

    // a ledger event's form 2 takes more than 512 characters
    private final StringBuilder out = new StringBuilder(1024);

    /** Starts a form with its version line. */
    public CanonicalLines(String version) {
        out.append(version).append('\n');
    }

    public CanonicalLines line(String name, @Nullable String value) {
        if (value == null) {
            out.append(name).append('\n');
            return this;
        }
        out.append(name).append('=');
        if (plain(value)) {
            // most values: appended whole, not a character at a time
            out.append(value).append('\n');
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        out.append('\n');
        return this;
    }

    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }

    /** An instant as {@link DateTimeFormatter#ISO_INSTANT} prints it. */
    public CanonicalLines line(String name, @Nullable Instant value) {
        return line(name, value == null ? null : DateTimeFormatter.ISO_INSTANT.format(value));
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

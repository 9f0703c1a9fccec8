package io.optledger.preferences;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a signed link lets its holder do, and the public path it opens. */
public enum LinkKind {
    /** The preference page: every channel and topic of the contact. */
    PREFERENCES("preferences", "p"),
    /** One-click unsubscribe (RFC 8058) from the link's topic and channel, or from all marketing. */
    UNSUBSCRIBE("unsubscribe", "u"),
    /** Confirm a pending double opt-in. */
    CONFIRM("confirm", "c");

    private final String value;
    private final String path;

    LinkKind(String value, String path) {
        this.value = value;
        this.path = path;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The first segment of the link's public path: {@code /p/{token}}, {@code /u/{token}}, {@code /c/{token}}. */
    public String path() {
        return path;
    }

    @JsonCreator
    public static LinkKind of(String value) {
        return Arrays.stream(values())
                .filter(kind -> kind.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown link kind '" + value + "', expected one of "
                        + Arrays.stream(values()).map(LinkKind::value).toList()));
    }

    static LinkKind byPath(String path) {
        return Arrays.stream(values())
                .filter(kind -> kind.path.equals(path))
                .findFirst()
                .orElseThrow(() -> new InvalidLink("no link kind at /" + path));
    }
}

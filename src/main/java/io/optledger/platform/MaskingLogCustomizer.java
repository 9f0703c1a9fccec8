package io.optledger.platform;

import java.util.regex.Pattern;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Masks email addresses and phone numbers in every string of a structured log line, so no log holds a person's
 * address whatever a message or an exception happened to include.
 */
public class MaskingLogCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

    private static final Pattern EMAIL =
            Pattern.compile("([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)");
    private static final Pattern PHONE = Pattern.compile("\\+\\d{4,13}(\\d{2})\\b");

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, MaskingLogCustomizer::mask));
    }

    /** Keeps the first character and domain of an email and the last two digits of an E.164 number. */
    public static String mask(String text) {
        if (text.indexOf('@') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        String masked = EMAIL.matcher(text).replaceAll("$1***@$2");
        return PHONE.matcher(masked).replaceAll("+***$1");
    }
}

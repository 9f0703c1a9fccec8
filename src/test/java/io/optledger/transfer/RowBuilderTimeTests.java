package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.platform.InvalidInput;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upload's direct reading of the common RFC 3339 forms reads them as the ISO parser does, and no other text. */
class RowBuilderTimeTests {

    @Test
    void theCommonFormsReadAsTheIsoParserReadsThem() {
        for (String text : List.of(
                "2024-05-01T12:00:00Z",
                "2023-12-31T23:59:59Z",
                "2024-02-29T00:00:00Z",
                "2024-05-01T12:00:00.5Z",
                "2024-05-01T12:00:00.123456789Z",
                "2024-05-01T12:00:00+02:00",
                "2024-05-01T12:00:00.25-05:30",
                "1999-01-01T00:00:00+18:00")) {
            assertThat(RowBuilder.quick(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
            assertThat(RowBuilder.instant("t", text)).as(text).isNotNull();
        }
    }

    @Test
    void anythingElseIsLeftToTheIsoParser() {
        for (String text : List.of(
                "2024-05-01T12:00Z",
                "2024-05-01 12:00:00Z",
                "2024-05-01T12:00:00",
                "2024-05-01T12:00:00.Z",
                "2024-05-01T12:00:00.1234567890Z",
                "2024-05-01T12:00:00+19:00",
                "2024-05-01T12:00:00+02:60",
                "2024-05-01T12:00:00+0200",
                "2024-02-30T12:00:00Z",
                "2024-13-01T12:00:00Z",
                "2024-05-01T24:00:00Z",
                "2024-05-01T12:00:60Z",
                "2024-05-01t12:00:00z",
                "+2024-05-01T12:00:00Z",
                "２０２４-05-01T12:00:00Z")) {
            assertThat(RowBuilder.quick(text)).as(text).isNull();
        }
        assertThatThrownBy(() -> OffsetDateTime.parse("2024-02-30T12:00:00Z"))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> RowBuilder.instant("occurredAt", "2024-02-30T12:00:00Z"))
                .isInstanceOf(InvalidInput.class);
    }
}

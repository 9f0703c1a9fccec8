package io.optledger.transfer;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.RequestContext;
import io.optledger.platform.BodyTooLarge;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Imports and exports")
class ImportsController {

    private final Imports imports;
    private final Clock clock;
    private final JsonMapper json;

    ImportsController(Imports imports, Clock clock, JsonMapper json) {
        this.imports = imports;
        this.clock = clock;
        this.json = json;
    }

    @PostMapping("/v1/imports")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Upload a CSV or NDJSON file of consent records; answers 202 with the job that applies it",
            description = "The body is the file itself (Content-Type text/csv or application/x-ndjson, or the format"
                    + " parameter), streamed to a staging table, up to optledger.limits.body.imports (10 GB by"
                    + " default). Columns are read by their field names (email, phone, externalId, identifier.<name>,"
                    + " channel, address, topic, status, occurredAt, suspendedUntil, source, reason, signUpUnit, ip,"
                    + " userAgent); map.<field>=<column> reads a field from another column and default.<field>=<value>"
                    + " fills rows that leave it empty. A malformed file (not UTF-8, a NUL character, broken quoting,"
                    + " a line that is no JSON object, a channel, status or time that is none) is a 400 naming the row,"
                    + " and nothing is kept. Rows are then applied by the consent rules, as API calls are: see"
                    + " docs/imports.md.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = {
                                @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string"))
                            }))
    ResponseEntity<ImportView> upload(
            Caller caller,
            HttpServletRequest http,
            @Parameter(description = "csv or ndjson; by default the Content-Type says")
                    @RequestParam(required = false)
                    @Nullable
                    String format,
            @Parameter(description = "true: decide every row and count the outcomes, write no consent")
                    @RequestParam(required = false)
                    @Nullable
                    Boolean dryRun,
            @Parameter(description = "false: no change events to webhooks and Kafka for the rows applied")
                    @RequestParam(required = false)
                    @Nullable
                    Boolean notify)
            throws IOException {
        ImportOptions options = ImportOptions.of(http.getParameterMap(), http.getContentType());
        ImportJob job;
        try {
            job = imports.upload(
                    caller.workspaceId(), options, http.getInputStream(), RequestContext.of(http, caller.keyId()));
        } catch (BodyTooLarge e) {
            throw new ErrorResponseException(
                    HttpStatus.CONTENT_TOO_LARGE,
                    ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage()),
                    e);
        }
        return ResponseEntity.accepted()
                .location(URI.create("/v1/imports/" + job.id()))
                .body(ImportView.of(job, clock.instant()));
    }

    @GetMapping("/v1/imports")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(summary = "The workspace's latest imports, newest first")
    Map<String, List<ImportView>> list(Caller caller) {
        return Map.of(
                "imports",
                imports.recent(caller.workspaceId(), 50).stream()
                        .map(job -> ImportView.of(job, clock.instant()))
                        .toList());
    }

    @GetMapping("/v1/imports/{id}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "An import's state, rows read and done (applied, stale, rejected), rows per second and time left",
            description = "A dry run's outcomes are the diff the file would make: counts per outcome and up to 5"
                    + " sample rows of each, rejected ones by reason.")
    ImportView get(Caller caller, @PathVariable String id) {
        return ImportView.of(imports.get(caller.workspaceId(), id), clock.instant());
    }

    @DeleteMapping("/v1/imports/{id}")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @Operation(
            summary = "Cancel an import: the rows applied stay, and the job says how far it got",
            description = "409 when the import is over already.")
    ImportView cancel(Caller caller, @PathVariable String id) {
        return ImportView.of(imports.cancel(caller.workspaceId(), id), clock.instant());
    }

    @GetMapping(
            path = "/v1/imports/{id}/rejects",
            produces = {"text/csv", "application/x-ndjson"})
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "The rows an import rejected, in row order, with their reason code and message (CSV or NDJSON)",
            description = "Streamed. Rows are numbered from 1, the first row after a CSV header (an NDJSON file's"
                    + " first line). The format is the format parameter's, else the Accept header's.")
    ResponseEntity<StreamingResponseBody> rejects(
            Caller caller,
            HttpServletRequest http,
            @PathVariable String id,
            @Parameter(description = "csv or ndjson") @RequestParam(required = false) @Nullable String format) {
        ImportFormat chosen = ExportsController.format(format, http);
        imports.get(caller.workspaceId(), id);
        StreamingResponseBody body = out -> {
            RecordWriter writer = new RecordWriter(chosen, List.of("row", "reason", "message"), out, json);
            imports.rejects(caller.workspaceId(), id, reject -> {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("row", reject.row());
                record.put("reason", reject.reason());
                record.put("message", reject.message());
                writer.write(record);
            });
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(chosen.mediaType() + ";charset=UTF-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(body);
    }
}

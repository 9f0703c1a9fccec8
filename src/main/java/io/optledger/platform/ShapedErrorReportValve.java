package io.optledger.platform;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for a request refused before Spring sees it (a path that is not valid percent-encoded UTF-8,
 * an encoded NUL): written in the shape of the API that owns the path, as {@link ErrorShapes} says, instead of
 * Tomcat's HTML page. Errors Spring answered are left as they are.
 */
class ShapedErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ErrorShapes shapes;

    ShapedErrorReportValve(ErrorShapes shapes) {
        this.shapes = shapes;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        int status = response.getStatus();
        if (!ioAllowed.get() || status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String message = known == null ? "error " + status : known.getReasonPhrase();
        var shape = shapes.ofAny(request);
        if (shape.isEmpty()) {
            return;
        }
        ResponseEntity<Object> rendered = shape.get().render(request, HttpStatusCode.valueOf(status), message);
        MediaType type = rendered.getHeaders().getContentType();
        byte[] body = rendered.getBody() instanceof byte[] bytes ? bytes : JSON.writeValueAsBytes(rendered.getBody());
        try {
            response.setContentType(type == null ? MediaType.APPLICATION_JSON_VALUE : type.toString());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was already under way: nothing more to say
        }
    }
}

package io.optledger.dialect.attentive;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Attentive's JSON bodies with the application's mapper (unknown fields refused), also when the request names
 * no Content-Type, as a bare {@code curl -d} or a script's {@code fetch} sends it; a type other than JSON is a 415.
 */
@Component
class AttentiveBodies {

    private final JsonMapper json;

    AttentiveBodies(JsonMapper json) {
        this.json = json;
    }

    <T> T read(HttpServletRequest http, byte[] body, Class<T> type) throws HttpMediaTypeNotSupportedException {
        String contentType = http.getContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new HttpMediaTypeNotSupportedException("the body is application/json, not '" + contentType + "'");
        }
        T read;
        try {
            read = json.readValue(body, type);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, new ServletServerHttpRequest(http));
        }
        if (read == null) {
            throw AttentiveFailure.badRequest("the body must be a JSON object, not null");
        }
        return read;
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                    || type.getSubtype().endsWith("+json");
        } catch (RuntimeException e) {
            return false;
        }
    }
}

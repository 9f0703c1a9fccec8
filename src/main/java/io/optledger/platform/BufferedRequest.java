package io.optledger.platform;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;

/**
 * A request whose body has been read whole (within its limit) and is served from memory. A form body's fields join
 * the query's parameters, since the container can no longer parse a body it did not read.
 */
final class BufferedRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final boolean form;
    private @Nullable Map<String, String[]> parameters;

    BufferedRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
        this.form = isForm(request);
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return in.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body has already been read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), charset(this)));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public @Nullable String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (!form) {
            return super.getParameterMap();
        }
        if (parameters == null) {
            // parsed when first asked, so that a malformed query or form fails where the endpoint's errors answer
            parameters = Collections.unmodifiableMap(merge(super.getParameterMap(), form(body, charset(this))));
        }
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public String @Nullable [] getParameterValues(String name) {
        return getParameterMap().get(name);
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        try {
            return type != null
                    && MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(type))
                    && "POST".equals(request.getMethod());
        } catch (IllegalArgumentException e) {
            return false; // an unreadable content type is Spring MVC's to refuse, in the endpoint's shape
        }
    }

    private static Charset charset(HttpServletRequest request) {
        String encoding = request.getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The fields of a form body; a malformed one fails as the container's own parsing would. */
    private static MultiValueMap<String, String> form(byte[] body, Charset charset) {
        MultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
        try {
            for (String pair : StringUtils.tokenizeToStringArray(new String(body, charset), "&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), charset);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), charset);
                fields.add(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("the form body is not validly percent-encoded", e);
        }
        return fields;
    }

    private static Map<String, String[]> merge(Map<String, String[]> query, MultiValueMap<String, String> form) {
        Map<String, String[]> all = new LinkedHashMap<>(query);
        form.forEach((name, values) -> {
            String[] before = all.getOrDefault(name, new String[0]);
            List<String> both = new ArrayList<>(List.of(before));
            both.addAll(values);
            all.put(name, both.toArray(String[]::new));
        });
        return all;
    }
}

package io.optledger.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP written byte for byte on a socket, for what {@link ApiClient} cannot send: a body that does not match its
 * declared length, a chunked body sent while the answer is read, a body dripped one byte at a time, odd headers.
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Writes (part of) a request body; an {@link IOException} (the server closed) ends the writing quietly. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** The answer: status, headers (names lower case), body; and how long after the request's head it came. */
    public record Response(int status, Map<String, String> headers, String body, Duration after) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private RawHttp() {}

    /**
     * Sends a request's head (the request line and headers, without the blank line), has {@code body} write the body
     * on another thread, and reads the answer, waiting at most {@code timeout}.
     */
    public static Response exchange(int port, String head, BodyWriter body, Duration timeout) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    body.write(out);
                    out.flush();
                } catch (IOException e) {
                    // the server answered and closed: what these tests expect of an oversized body
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                return read(socket.getInputStream(), start);
            } finally {
                writer.interrupt();
            }
        }
    }

    /** A body of {@code size} bytes sent as chunks of at most 8 KiB, and (when {@code finish}) the last chunk. */
    public static BodyWriter chunked(byte[] content, boolean finish) {
        return out -> {
            for (int offset = 0; offset < content.length; offset += 8192) {
                int length = Math.min(8192, content.length - offset);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(content, offset, length);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            if (finish) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        };
    }

    /** One byte of {@code content} every {@code interval}. */
    public static BodyWriter drip(byte[] content, Duration interval) {
        return out -> {
            for (byte b : content) {
                out.write(b);
                out.flush();
                Thread.sleep(interval);
            }
        };
    }

    private static Response read(InputStream in, long start) throws IOException {
        String statusLine = line(in);
        Duration after = Duration.ofNanos(System.nanoTime() - start);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), after);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("the connection closed mid-line: '" + line + "'");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}

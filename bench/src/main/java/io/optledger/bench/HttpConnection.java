package io.optledger.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, as lean as a load generator needs: the request is prepared bytes, the response
 * is read whole (Content-Length or chunked) so the connection can be reused, and only the status and body are kept.
 */
final class HttpConnection implements Closeable {

    /** A response: status and body. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private BufferedOutputStream out;
    private InputStream in;

    HttpConnection(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        connect();
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    static byte[] get(String path, String key) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] post(String path, String key, String json) {
        return postAuthorized(path, "Bearer " + key, json);
    }

    /** A POST with the given {@code Authorization} header value (Basic, for the Capillary dialect). */
    static byte[] postAuthorized(String path, String authorization, String json) {
        return request("POST", path, authorization, json);
    }

    static byte[] put(String path, String key, String json) {
        return request("PUT", path, "Bearer " + key, json);
    }

    /** A request with the given {@code Authorization} header value and a JSON body, or none when it is null. */
    static byte[] request(String method, String path, String authorization, String json) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                        + (json == null ? "" : "\r\nContent-Type: application/json") + "\r\nContent-Length: "
                        + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Sends a prepared request and reads its response; reconnects once if the server closed the connection. */
    Response exchange(byte[] request) throws IOException {
        try {
            return exchangeOnce(request);
        } catch (EOFException | java.net.SocketException e) {
            close();
            connect();
            return exchangeOnce(request);
        }
    }

    private Response exchangeOnce(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                collected.write(in.readNBytes(size));
                line();
            }
            line();
            body = collected.toByteArray();
        } else {
            body = length > 0 ? in.readNBytes((int) length) : new byte[0];
        }
        if (close) {
            close();
            connect();
        }
        return new Response(status, body);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}

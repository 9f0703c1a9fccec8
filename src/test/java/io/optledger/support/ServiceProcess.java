package io.optledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.OptLedgerApplication;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a process of its own, for tests that kill it, run two of it or starve it: the test classpath, a
 * small heap, a free port, the test suite's system key, its console log in {@code target/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final ApiClient api;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.api = new ApiClient(port);
    }

    /** Starts a node with these arguments besides its port and key, and waits until it is ready (2 minutes at most). */
    public static ServiceProcess start(String name, List<String> arguments) throws IOException, InterruptedException {
        int port = freePort();
        List<String> all = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--management.server.port=0",
                "--optledger.bootstrap-api-key=" + ApiTest.SYSTEM_KEY,
                "--logging.structured.format.console="));
        all.addAll(arguments);
        List<String> command = mainCommand(List.of("-Xmx256m"), all);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/" + name + ".log"))
                .start();
        ServiceProcess node = new ServiceProcess(name, port, process);
        node.awaitReady(Duration.ofMinutes(2));
        return node;
    }

    /** What a command of the service's main class printed and how it ended. */
    public record Outcome(int exitCode, String output) {}

    /** Runs a command of the service's main class ({@code backup}, {@code restore}) to its end (5 minutes at most). */
    public static Outcome command(String... arguments) throws IOException, InterruptedException {
        return run(List.of(), List.of(arguments));
    }

    /** Runs the service's main class with these JVM options and arguments to its end (5 minutes at most). */
    public static Outcome run(List<String> jvmOptions, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = mainCommand(jvmOptions, arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(output).isTrue();
        return new Outcome(process.exitValue(), output.strip());
    }

    /** The command that runs the service's main class on the test classpath: this JVM's java, options, arguments. */
    public static List<String> mainCommand(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                OptLedgerApplication.class.getName()));
        command.addAll(arguments);
        return command;
    }

    public ApiClient api() {
        return api;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the node with SIGKILL, as the OOM killer or a power cut would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void awaitReady(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!ready()) {
            assertThat(process.isAlive())
                    .as("node " + name + " died: see target/" + name + ".log")
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("node " + name + " did not start in " + patience)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private boolean ready() {
        try {
            return api.get("/readyz", null).status() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node run by the packaged launcher: {@code bin/modkv node --set data.dir=DIR --set
 * tcp.listen=127.0.0.1:0 ...} (every listener on a free port), started in DIR's parent so that
 * nothing lands in the build tree; or ({@link #startIn}) without {@code data.dir}, in a working
 * directory of its own, as a user starts it.
 * {@link #start} returns once the ready line is printed and knows the ports from it.
 * Always {@link #close()} it (try-with-resources): that kills the process if it still runs.
 */
final class NodeProcess implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderr;
    private final String readyLine;
    private final Map<String, String> fields;

    private NodeProcess(Process process, Path stderr, String readyLine, Map<String, String> fields) {
        this.process = process;
        this.stderr = stderr;
        this.readyLine = readyLine;
        this.fields = fields;
    }

    /** Starts a node on {@code dataDir} with any extra arguments and waits for its ready line. */
    static NodeProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        return start(dataDir, dataDir.toAbsolutePath().getParent(), extraArgs);
    }

    /**
     * As {@link #start(Path, String...)}, run in {@code workDir}, where its stderr log is kept
     * too (e.g. off a data dir's filesystem that a test fills up).
     */
    static NodeProcess start(Path dataDir, Path workDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--set", "data.dir=" + dataDir.toAbsolutePath()));
        args.addAll(List.of(extraArgs));
        return launch(workDir, args);
    }

    /**
     * Starts a node in {@code workDir} with the default {@code data.dir} ({@code ./data}, so its
     * files go to {@code workDir/data}) and any extra arguments, and waits for its ready line.
     */
    static NodeProcess startIn(Path workDir, String... extraArgs) throws IOException, InterruptedException {
        return launch(workDir, "node", List.of(extraArgs));
    }

    /**
     * Starts {@code modkv cluster --nodes 1} in {@code workDir} with any extra arguments (its one
     * node's data under {@code --data}) and waits for the node's ready line.
     */
    static NodeProcess startOneNodeCluster(Path workDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--nodes", "1"));
        args.addAll(List.of(extraArgs));
        return launch(workDir, "cluster", args);
    }

    /**
     * Starts {@code bin/modkv node} of the distribution at {@code home} (a copy built by a test)
     * in {@code workDir} with any extra arguments, and waits for its ready line.
     */
    static NodeProcess startFrom(Path home, Path workDir, String... extraArgs) throws IOException, InterruptedException {
        return launch(home, workDir, "node", List.of(extraArgs));
    }

    private static NodeProcess launch(Path workDir, List<String> args) throws IOException, InterruptedException {
        return launch(workDir, "node", args);
    }

    private static NodeProcess launch(Path workDir, String subcommand, List<String> args)
            throws IOException, InterruptedException {
        return launch(Distribution.home(), workDir, subcommand, args);
    }

    private static NodeProcess launch(Path home, Path workDir, String subcommand, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/modkv").toString(), subcommand));
        for (String listener : listenKeys(home)) {
            command.addAll(List.of("--set", listener + "=127.0.0.1:0"));
        }
        command.addAll(args);
        Path stderr = Files.createTempFile(workDir, "node-stderr", ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(process));
        try {
            String line = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                fail("node exited before it was ready (" + (process.isAlive() ? "still running" : "exit "
                        + process.exitValue()) + "):\n" + Files.readString(stderr));
            }
            return new NodeProcess(process, stderr, line, parse(line));
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("no ready line within " + READY_TIMEOUT + "; stderr:\n" + Files.readString(stderr));
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new AssertionError("cannot read the node's stdout", e.getCause());
        } catch (RuntimeException | Error | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * Every {@code *.listen} key of the distribution (tcp.listen, metrics.listen...): each gets
     * a free port so that tests never meet another node, or each other, on a default port.
     */
    private static List<String> listenKeys(Path home) throws IOException {
        return SampleConfigKeys.parse(Files.readString(home.resolve("conf/modkv.properties")))
                .keySet().stream().filter(key -> key.endsWith(".listen")).toList();
    }

    /** The first stdout line starting "modkv ready", or null at end of stream; the rest is drained. */
    private static String readyLine(Process process) {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("modkv ready ")) {
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling
                            }
                        } catch (IOException ignored) {
                            // the process is gone
                        }
                    }, "node-stdout-drain");
                    drain.setDaemon(true);
                    drain.start();
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.substring("modkv ready ".length()).trim().split(" +")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return fields;
    }

    String readyLine() {
        return readyLine;
    }

    /** {@code host:port} of the tcp transport, from the ready line. */
    String tcp() {
        return address("tcp");
    }

    /** {@code host:port} of the resp transport, from the ready line. */
    String resp() {
        return address("resp");
    }

    /** {@code host:port} of the metrics HTTP endpoint, from the ready line. */
    String metrics() {
        return address("metrics");
    }

    /** The port of {@code host:port} as printed in the ready line. */
    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private String address(String field) {
        String address = fields.get(field);
        if (address == null) {
            fail("the ready line has no " + field + " field: " + readyLine);
        }
        return address;
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("node did not die within " + EXIT_TIMEOUT + " of SIGKILL");
        }
    }

    /** SIGSTOP: the node freezes (as in a long GC pause or a stalled VM) without its sockets closing. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits, at most {@code timeout}, for the node to exit by itself; its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("node still runs " + timeout + " later; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** SIGTERM (a clean shutdown), then its exit status. */
    int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("node did not stop within " + EXIT_TIMEOUT + " of SIGTERM; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}

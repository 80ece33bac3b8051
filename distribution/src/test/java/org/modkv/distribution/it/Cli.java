package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code bin/modkv} to completion, with a bound, and keeps what it printed. */
final class Cli {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Result(List<String> command, int status, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", command) + "\n  exit " + status + "\n  stdout: " + out + "\n  stderr: " + err;
        }
    }

    private Cli() {
    }

    /** {@code bin/modkv args...} from a scratch directory, no stdin. */
    static Result modkv(String... args) throws IOException, InterruptedException {
        return run(List.of(args), null, Map.of(), Distribution.launcher());
    }

    /** {@code bin/modkv args...} with {@code stdin} piped in. */
    static Result modkvWithInput(String stdin, String... args) throws IOException, InterruptedException {
        return run(List.of(args), stdin, Map.of(), Distribution.launcher());
    }

    /** {@code program args...} with extra environment variables. */
    static Result run(List<String> args, String stdin, Map<String, String> env, Path program)
            throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("modkv-cli");
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        Path out = scratch.resolve("stdout");
        Path err = scratch.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = builder.start();
        try {
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT);
            }
            return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
    }
}

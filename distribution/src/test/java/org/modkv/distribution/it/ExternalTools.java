package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Programs the process-level tests use besides bin/modkv (redis-cli, redis-server...), and free ports. */
final class ExternalTools {
    private ExternalTools() {
    }

    /** {@code program} as found on PATH, if it is there. */
    static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code program} from Debian's redis-tools; fails (never skips) when it is missing. */
    static Path requireRedisTool(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            fail(program + " is not on PATH (" + System.getenv("PATH") + "). These tests drive the RESP "
                    + "transport with the real Redis tools: install them, e.g. 'apt-get install redis-tools' "
                    + "(CI's .ci/run does).");
        }
        return found.get();
    }

    /** A port on 127.0.0.1 that was free a moment ago (nothing listens on it once this returns). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

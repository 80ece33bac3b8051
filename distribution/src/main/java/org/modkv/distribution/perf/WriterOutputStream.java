package org.modkv.distribution.perf;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Adapts picocli's {@link PrintWriter} to the {@code PrintStream} the bench library prints to,
 * so tests that capture the command's output see everything. UTF-8, flushed per write.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;

    WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
        writer.flush();
    }

    @Override
    public void flush() {
        writer.flush();
    }
}

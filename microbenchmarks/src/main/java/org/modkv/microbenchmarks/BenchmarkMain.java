package org.modkv.microbenchmarks;

/**
 * Entry point for running the benchmarks from the module path:
 * {@code java -p target/lib:target/microbenchmarks-*.jar --add-modules jdk.unsupported
 * --add-exports java.base/jdk.internal.misc=org.agrona -m org.modkv.microbenchmarks/org.modkv.microbenchmarks.BenchmarkMain
 * [JMH options]}. Starting from this module makes the JVM bind the storage providers it
 * {@code uses}; the arguments go to JMH unchanged.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}

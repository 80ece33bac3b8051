package org.modkv.testkit.crash;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.testkit.TestPluginContext;
import org.modkv.testkit.crash.CrashRecords.BatchId;

/**
 * The child process of a {@link StorageCrashHarness}: opens a storage engine and writes until
 * it is killed, printing one line to stdout for every write the engine acknowledged (after the
 * write's future completed, flushed at once), so that the parent knows what must survive.
 *
 * <pre>
 *   java ... org.modkv.testkit.crash.CrashWriterMain --provider CLASS_OR_PLUGIN_NAME --data-dir DIR
 *        [--config KEY=VALUE]... [--workload single|batch|mixed] [--threads N] [--batch-slots K]
 *        [--max-value-bytes B] [--cycle C] [--max-seconds S] [--report-stat NAME]
 * </pre>
 *
 * Output lines: {@code READY <lastSequence>} once open; {@code STAT <name> <value>} whenever the
 * numeric stat named by {@code --report-stat} changes (polled every 10 ms); {@code PUT c t i seq},
 * {@code DELETING c t i} (before the delete is offered), {@code DELETED c t i seq} and
 * {@code BATCH c t i seq}. Every thread uses {@link StorageEngine#write} and waits for each
 * write before the next, with {@link Durability#DURABLE}.
 *
 * <p>The process ends itself if its stdin closes (the parent died) or after
 * {@code --max-seconds} (default 300), so a broken test never leaves it running. Exit code 2
 * on bad arguments or a failure to open; errors go to stderr.
 */
public final class CrashWriterMain {
    private static final Object OUT_LOCK = new Object();

    private CrashWriterMain() {
    }

    /** Runs the child; see the class comment for the arguments. */
    public static void main(String[] args) {
        Map<String, List<String>> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("crash writer: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        try {
            run(options, out);
        } catch (Throwable t) {
            System.err.println("crash writer failed: " + t);
            t.printStackTrace();
            System.exit(2);
        }
    }

    private static void run(Map<String, List<String>> options, PrintStream out) throws Exception {
        String providerSpec = single(options, "provider", null);
        Path dataDir = Path.of(single(options, "data-dir", null));
        CrashWorkload workload = CrashWorkload.fromArgument(single(options, "workload", "batch"));
        int threads = Integer.parseInt(single(options, "threads", "4"));
        int slots = Integer.parseInt(single(options, "batch-slots", "16"));
        int maxValueBytes = Integer.parseInt(single(options, "max-value-bytes", "2048"));
        int cycle = Integer.parseInt(single(options, "cycle", "0"));
        long maxSeconds = Long.parseLong(single(options, "max-seconds", "300"));
        String reportedStat = single(options, "report-stat", "");
        Map<String, String> config = new LinkedHashMap<>();
        for (String pair : options.getOrDefault("config", List.of())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config '" + pair + "' is not KEY=VALUE");
            }
            config.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        startGuards(maxSeconds);
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            System.err.println("crash writer: thread " + thread.getName() + " failed: " + failure);
            failure.printStackTrace();
            Runtime.getRuntime().halt(2);
        });

        StorageProvider provider = findProvider(providerSpec);
        TestPluginContext context = TestPluginContext.builder().nodeId("crash-writer").dataDir(dataDir)
                .schema(provider.configSchema()).config(config).build();
        StorageEngine engine = provider.open(context);
        print(out, "READY " + engine.lastSequence());
        if (!reportedStat.isEmpty()) {
            startStatReporter(engine, reportedStat, out);
        }

        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Runnable body = workload.batchesOnThread(thread)
                    ? () -> writeBatches(engine, out, cycle, thread, slots, maxValueBytes)
                    : () -> writeSingles(engine, out, cycle, thread, maxValueBytes);
            Thread writer = new Thread(body, "crash-writer-" + thread);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    /** Prints {@code STAT <name> <value>} whenever the engine's numeric stat {@code name} changes. */
    private static void startStatReporter(StorageEngine engine, String name, PrintStream out) {
        Thread reporter = new Thread(() -> {
            Object last = null;
            while (true) {
                Object value = engine.stats().get(name);
                if (value instanceof Number number && !value.equals(last)) {
                    print(out, "STAT " + name + " " + number.longValue());
                    last = value;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "crash-writer-stat-reporter");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static void writeSingles(StorageEngine engine, PrintStream out, int cycle, int thread, int maxValueBytes) {
        WriteBatch batch = new WriteBatch();
        for (long i = 0; ; i++) {
            String key = CrashRecords.singleKey(cycle, thread, i);
            batch.clear().put(CrashRecords.utf8(key), CrashRecords.singleValue(key, maxValueBytes));
            print(out, "PUT " + cycle + " " + thread + " " + i + " " + await(engine, batch, thread));
            if (i % 4 == 3) {
                long victim = i - 2;
                print(out, "DELETING " + cycle + " " + thread + " " + victim);
                batch.clear().delete(CrashRecords.utf8(CrashRecords.singleKey(cycle, thread, victim)));
                print(out, "DELETED " + cycle + " " + thread + " " + victim + " " + await(engine, batch, thread));
            }
        }
    }

    private static void writeBatches(StorageEngine engine, PrintStream out, int cycle, int thread, int slots,
                                     int maxValueBytes) {
        BatchId previous = currentBatch(engine, thread);
        WriteBatch batch = new WriteBatch();
        for (long i = 0; ; i++) {
            BatchId id = new BatchId(cycle, i);
            batch.clear();
            byte[] metadata = CrashRecords.batchMetadata(id);
            for (int slot = 0; slot < slots; slot++) {
                batch.put(CrashRecords.utf8(CrashRecords.slotKey(thread, slot)),
                        CrashRecords.batchValue(id, slot, maxValueBytes), metadata);
            }
            if (previous != null) {
                batch.delete(CrashRecords.utf8(CrashRecords.markerKey(thread, previous)));
            }
            batch.put(CrashRecords.utf8(CrashRecords.markerKey(thread, id)), CrashRecords.markerValue(id));
            print(out, "BATCH " + cycle + " " + thread + " " + i + " " + await(engine, batch, thread));
            previous = id;
        }
    }

    /** The batch id the thread's slots hold now (after recovery they all agree), or null. */
    private static BatchId currentBatch(StorageEngine engine, int thread) {
        try {
            Optional<StoredRecord> slot0 = engine.get(CrashRecords.utf8(CrashRecords.slotKey(thread, 0)));
            return slot0.map(record -> CrashRecords.batchIdOf(record.value())).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes and waits. Odd-numbered threads end a burst after each write
     * ({@link StorageEngine#endOfBurst}), as a transport's event loop does, so an engine that
     * commits on its callers' threads is crashed in both modes at once.
     */
    private static long await(StorageEngine engine, WriteBatch batch, int thread) {
        try {
            java.util.concurrent.CompletableFuture<Long> written = engine.write(batch, Durability.DURABLE);
            if (thread % 2 == 1) {
                engine.endOfBurst(EventLoopFsync.NONE);
            }
            return written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("write failed: " + e.getCause(), e.getCause());
        }
    }

    private static void print(PrintStream out, String line) {
        synchronized (OUT_LOCK) {
            out.print(line + "\n");
            out.flush();
        }
    }

    private static StorageProvider findProvider(String spec) {
        // A named module may only load services it declares; declare it at run time.
        CrashWriterMain.class.getModule().addUses(StorageProvider.class);
        List<String> found = new ArrayList<>();
        for (ServiceLoader.Provider<StorageProvider> candidate : ServiceLoader.load(StorageProvider.class).stream().toList()) {
            StorageProvider provider = candidate.get();
            if (candidate.type().getName().equals(spec) || provider.name().equals(spec)) {
                return provider;
            }
            found.add(provider.name() + " (" + candidate.type().getName() + ")");
        }
        throw new IllegalArgumentException("no storage provider '" + spec + "' on the module path or class path; found "
                + (found.isEmpty() ? "none" : String.join(", ", found)));
    }

    private static void startGuards(long maxSeconds) {
        Thread stdinWatch = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the parent never writes; EOF means it is gone
                }
            } catch (IOException e) {
                // treat as EOF
            }
            Runtime.getRuntime().halt(3);
        }, "crash-writer-stdin-watch");
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        Thread timeLimit = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("crash writer: --max-seconds " + maxSeconds + " passed without being killed; exiting");
            Runtime.getRuntime().halt(4);
        }, "crash-writer-time-limit");
        timeLimit.setDaemon(true);
        timeLimit.start();
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --NAME VALUE pairs, got '" + args[i] + "'");
            }
            options.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return options;
    }

    private static String single(Map<String, List<String>> options, String name, String defaultValue) {
        List<String> values = options.get(name);
        if (values == null) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return defaultValue;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("--" + name + " is given " + values.size() + " times");
        }
        return values.get(0);
    }
}

package org.modkv.storage.wal.soak;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.TestPluginContext;

/**
 * A fresh JVM that opens a {@code wal} engine on an existing directory, serves one read and
 * prints how long that took, from JVM start and from {@code open}, and the memory the open
 * engine holds. Started by {@code RestartTimeSoakTest}; lives outside the plugin's packages so
 * that it runs from the class path and sees the plugin only through its API, like the node does.
 *
 * <pre>java ... org.modkv.storage.wal.soak.RestartTimer DATA_DIR KEY</pre>
 */
public final class RestartTimer {
    private RestartTimer() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        long openStart = System.nanoTime();
        Module module = RestartTimer.class.getModule();
        module.addUses(StorageProvider.class);
        StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("wal")).findFirst().orElseThrow();
        try (TestPluginContext context = TestPluginContext.builder().nodeId("restart").dataDir(Path.of(args[0]))
                .schema(provider.configSchema()).config(Map.of("wal.sync", "none", "wal.merge.interval.ms", "0"))
                .build();
             StorageEngine engine = provider.open(context)) {
            boolean found = engine.get(args[1].getBytes(StandardCharsets.UTF_8)).isPresent();
            long openMs = (System.nanoTime() - openStart) / 1_000_000;
            long sinceJvmStart = System.currentTimeMillis() - jvmStartMs;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println("found=" + found + " keys=" + engine.keyCount() + " open_ms=" + openMs
                    + " since_jvm_start_ms=" + sinceJvmStart + " heap_bytes=" + heap + " offheap_bytes="
                    + engine.stats().get("key_directory_offheap_bytes"));
        }
    }
}

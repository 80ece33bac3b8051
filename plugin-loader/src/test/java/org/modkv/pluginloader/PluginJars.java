package org.modkv.pluginloader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;

/** Compiles tiny modules with the JDK's javac and jar tools, for loader tests. */
final class PluginJars {
    private final Path work;

    PluginJars(Path work) {
        this.work = work;
    }

    /**
     * Compiles {@code sources} (path relative to the module root, e.g. {@code module-info.java},
     * to text) as module {@code name} with module version {@code version}, against the modules
     * in {@code modulePath}, and jars it into {@code jar}.
     */
    Path module(String name, String version, Map<String, String> sources, List<Path> modulePath, Path jar)
            throws IOException {
        return module(name, version, sources, modulePath, jar, null);
    }

    /**
     * As {@link #module(String, String, Map, List, Path)}; {@code version} may be null (no module
     * version), and {@code manifest}, when not null, is the jar's manifest text.
     */
    Path module(String name, String version, Map<String, String> sources, List<Path> modulePath, Path jar,
                String manifest) throws IOException {
        String tag = jar.getParent().getFileName() + "-" + name + "-" + version;
        Path src = work.resolve("src-" + tag);
        Path classes = work.resolve("classes-" + tag);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        if (version != null) {
            args.addAll(List.of("--module-version", version));
        }
        if (!modulePath.isEmpty()) {
            args.add("--module-path");
            args.add(String.join(java.io.File.pathSeparator, modulePath.stream().map(Path::toString).toList()));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        run("javac", args);
        Files.createDirectories(jar.getParent());
        List<String> jarArgs = new ArrayList<>(List.of("--create", "--file", jar.toString()));
        if (manifest != null) {
            Path manifestFile = work.resolve("manifest-" + tag + ".mf");
            Files.writeString(manifestFile, manifest);
            jarArgs.addAll(List.of("--manifest", manifestFile.toString()));
        }
        jarArgs.addAll(List.of("-C", classes.toString(), "."));
        run("jar", jarArgs);
        return jar;
    }

    private static void run(String tool, List<String> args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status = ToolProvider.findFirst(tool).orElseThrow().run(out, out, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException(tool + " " + args + " failed:\n" + output.toString(StandardCharsets.UTF_8));
        }
    }
}

package org.modkv.testkit.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that sees what this JVM sees: the same {@code java}
 * binary, this JVM's module path ({@code jdk.module.path}) with every module on it resolved
 * ({@code --add-modules ALL-MODULE-PATH}, so {@link java.util.ServiceLoader} finds plugins no
 * root module requires) and this JVM's class path ({@code java.class.path}). The main class is
 * started from its module if it is in a named module, else from the class path. The options go
 * into an argument file ({@code java @file}), so a long path cannot hit a command-line limit
 * and the exact launch can be repeated by hand.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java [jvmArgs] @argFile mainClass args}, writing {@code argFile}. */
    static List<String> command(Class<?> mainClass, List<String> jvmArgs, List<String> args, Path argFile)
            throws IOException {
        List<String> options = new ArrayList<>(jvmArgs);
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        if (!modulePath.isEmpty()) {
            options.add("--module-path");
            options.add(modulePath);
            options.add("--add-modules");
            options.add("ALL-MODULE-PATH");
        }
        if (!classPath.isEmpty()) {
            options.add("--class-path");
            options.add(classPath);
        }
        Module module = mainClass.getModule();
        if (module.isNamed()) {
            options.add("--module");
            options.add(module.getName() + "/" + mainClass.getName());
        } else {
            options.add(mainClass.getName());
        }
        options.addAll(args);
        StringBuilder file = new StringBuilder();
        for (String option : options) {
            file.append(quote(option)).append('\n');
        }
        Files.writeString(argFile, file, StandardCharsets.UTF_8);
        return List.of(javaBinary(), "@" + argFile.toAbsolutePath());
    }

    /** The {@code java} launcher of this JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Quotes an argument for a java argument file (double quotes, backslash escapes). */
    private static String quote(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package org.modkv.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code modkv --version}: the build's version (filtered into a resource) and the JVM's. */
public final class VersionProvider implements IVersionProvider {

    /** The version this distribution was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String modkvVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "modkv " + modkvVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("java.home") + ")"
        };
    }
}

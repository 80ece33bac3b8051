package org.modkv.api;

/**
 * The version of this SPI, {@code MAJOR.MINOR}. It is also the module version of
 * {@code org.modkv.api} (set by api/pom.xml), so javac records it in every plugin's
 * {@code module-info.class} as the compiled version of {@code requires org.modkv.api}. The
 * kernel reads that record from the plugin's module descriptor before it loads any class of the
 * plugin and accepts a plugin built against the same major and the same or an older minor.
 *
 * <p>Bump {@link #MINOR} for an addition a plugin built against the older minor still works
 * with (a default method, a new type); bump {@link #MAJOR} (and reset the minor) for anything
 * else. See docs/design/plugin-platform.md.
 */
public final class ApiVersion {
    /** Incompatible changes bump it. */
    public static final int MAJOR = 2;
    /** Compatible additions bump it. */
    public static final int MINOR = 0;
    /**
     * The major version, which {@link Plugin#apiVersion()} returns; kept as a second check for
     * plugins that have no module descriptor (embedded instances, class-path tests).
     */
    public static final int CURRENT = MAJOR;

    private ApiVersion() {
    }

    /** {@code MAJOR.MINOR}, as recorded in plugins' module descriptors. */
    public static String text() {
        return MAJOR + "." + MINOR;
    }
}

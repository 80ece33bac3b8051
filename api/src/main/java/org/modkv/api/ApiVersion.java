package org.modkv.api;

/**
 * The version of this SPI. A plugin returns {@link #CURRENT} from {@link Plugin#apiVersion()};
 * because the field is a compile-time constant it is inlined into the plugin's class file, so
 * the value records the SPI version the plugin was <em>built</em> against. The kernel refuses
 * to load a plugin whose version differs from its own, with a message naming the plugin.
 */
public final class ApiVersion {
    /** The SPI version of this build. Bumped on any incompatible change. */
    public static final int CURRENT = 2;

    private ApiVersion() {
    }
}

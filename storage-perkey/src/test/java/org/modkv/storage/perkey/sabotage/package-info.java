/**
 * Storage engines broken on purpose, for tests that show the crash harness fails when it
 * should. The child JVM of the harness loads them from the test class path through
 * {@code META-INF/services}.
 */
package org.modkv.storage.perkey.sabotage;

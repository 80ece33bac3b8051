package org.modkv.api.transport;

/**
 * Size limits the kernel enforces on client requests (config {@code node.max.*}). A
 * transport may check them early, before reading a whole request.
 */
public record RequestLimits(int maxKeyBytes, int maxValueBytes, int maxBatchBytes, int maxBatchEntries) {
}

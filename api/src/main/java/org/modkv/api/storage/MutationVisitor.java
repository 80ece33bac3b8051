package org.modkv.api.storage;

/**
 * Receives the entries of a {@link WriteBatch} without allocation: each call names ranges of
 * one shared buffer, valid only for the duration of the call.
 */
@FunctionalInterface
public interface MutationVisitor {
    void visit(MutationType type, byte[] buffer, int keyOffset, int keyLength,
               int valueOffset, int valueLength, int metadataOffset, int metadataLength);
}

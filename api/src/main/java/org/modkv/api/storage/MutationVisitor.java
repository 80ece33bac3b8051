package org.modkv.api.storage;

/**
 * Receives the entries of a {@link WriteBatch} without allocation: each call names ranges of
 * one shared buffer, valid only for the duration of the call.
 *
 * <p>Threading and ownership: called on the thread that walks the batch, once per entry in
 * batch order; the buffer belongs to the batch, so a visitor copies what it keeps and never
 * writes to it.
 */
@FunctionalInterface
public interface MutationVisitor {
    void visit(MutationType type, byte[] buffer, int keyOffset, int keyLength,
               int valueOffset, int valueLength, int metadataOffset, int metadataLength);
}

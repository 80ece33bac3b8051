package org.modkv.client;

/**
 * The outcome of a {@link Txn}: whether every condition held and its writes applied, and the
 * version its puts got (0 when not applied).
 */
public record TxnResult(boolean applied, long version) {
}

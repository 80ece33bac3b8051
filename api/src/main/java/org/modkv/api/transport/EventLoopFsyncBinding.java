package org.modkv.api.transport;

/** Holds the {@link EventLoopFsync} bound to each event loop's thread. */
final class EventLoopFsyncBinding {
    static final ThreadLocal<EventLoopFsync> BOUND = new ThreadLocal<>();

    private EventLoopFsyncBinding() {
    }
}

package org.modkv.api.time;

/** {@link Clock} backed by {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }
}

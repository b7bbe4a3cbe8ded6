package io.pushfabric.loadtest.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * The named phases of one run (warm-up, each rate step, the storm ...). A message carries the index of the
 * phase it was published in, so late arrivals are still counted where they belong.
 */
public final class Phases {
    /** Phase indexes travel in payloads and index fixed arrays. */
    public static final int MAX = 64;

    private final List<String> names = new ArrayList<>();

    public synchronized int add(String name) {
        if (names.size() >= MAX) {
            throw new IllegalStateException("more than " + MAX + " phases in one run");
        }
        names.add(name);
        return names.size() - 1;
    }

    public synchronized String name(int index) {
        return names.get(index);
    }

    public synchronized int count() {
        return names.size();
    }
}

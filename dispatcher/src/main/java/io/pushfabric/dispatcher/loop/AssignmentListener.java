package io.pushfabric.dispatcher.loop;

import java.util.Collection;

/** Told which partitions of {@code push-requests} this dispatcher's consumer owns, as the group changes it. */
public interface AssignmentListener {
    AssignmentListener NONE = new AssignmentListener() {
        @Override
        public void assigned(Collection<Integer> partitions) {
        }

        @Override
        public void revoked(Collection<Integer> partitions) {
        }
    };

    void assigned(Collection<Integer> partitions);

    /** Called before the partitions move (and when they were lost); the next owner starts once this returns. */
    void revoked(Collection<Integer> partitions);
}

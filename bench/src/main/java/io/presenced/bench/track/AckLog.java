package io.presenced.bench.track;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * When each source event was acknowledged, by (extensionId, sequence). The k-th event the load caused for an
 * extension has sequence k, as the extensions start fresh.
 *
 * <p>Thread-safety: each extension's acknowledgements are recorded by the one load thread that owns the
 * extension (which also grows its array); any thread may read, with acquire/release ordering per entry.
 */
public final class AckLog {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL = 16;

    private final Map<Long, Integer> slots;
    private final AtomicReferenceArray<long[]> times;

    public AckLog(Collection<Long> extensionIds) {
        Map<Long, Integer> map = new HashMap<>();
        for (long id : extensionIds) {
            map.putIfAbsent(id, map.size());
        }
        this.slots = Map.copyOf(map);
        this.times = new AtomicReferenceArray<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            times.set(i, new long[INITIAL]);
        }
    }

    /** Records that event {@code sequence} of {@code extensionId} was acknowledged at {@code nanos}. */
    public void acked(long extensionId, long sequence, long nanos) {
        Integer slot = slots.get(extensionId);
        if (slot == null || sequence < 1) {
            throw new IllegalArgumentException("no extension " + extensionId + " with a sequence " + sequence
                    + " in this load; expected one of the " + slots.size() + " generated extensions, sequence >= 1");
        }
        long[] array = times.get(slot);
        if (sequence >= array.length) {
            long[] grown = new long[Math.max(array.length * 2, (int) sequence + 1)];
            System.arraycopy(array, 0, grown, 0, array.length);
            times.set(slot, grown);
            array = grown;
        }
        SLOT.setRelease(array, (int) sequence, nanos);
    }

    /** When the event was acknowledged; 0 if it was not (yet), or is of no extension of this load. */
    public long ackedAt(long extensionId, long sequence) {
        Integer slot = slots.get(extensionId);
        if (slot == null || sequence < 1) {
            return 0;
        }
        long[] array = times.get(slot);
        return sequence < array.length ? (long) SLOT.getAcquire(array, (int) sequence) : 0;
    }
}

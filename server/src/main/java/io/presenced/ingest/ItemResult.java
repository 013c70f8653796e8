package io.presenced.ingest;

import java.util.Optional;

/** What became of one item of an ingest batch. */
public record ItemResult(int index, Status status, Optional<String> reason) {
    /** Accepted (applied, even if it changed nothing visible), Ignored (stale or duplicate), Rejected (invalid). */
    public enum Status { Accepted, Ignored, Rejected }

    static ItemResult accepted(int index) {
        return new ItemResult(index, Status.Accepted, Optional.empty());
    }

    static ItemResult ignored(int index, String reason) {
        return new ItemResult(index, Status.Ignored, Optional.of(reason));
    }

    static ItemResult rejected(int index, String reason) {
        return new ItemResult(index, Status.Rejected, Optional.of(reason));
    }
}

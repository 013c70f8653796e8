package io.presenced.directory;

import java.util.Objects;

/** A tenant: every extension, app session and event belongs to exactly one account. */
public record Account(long id, String name, String mainNumber) {
    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mainNumber, "mainNumber");
    }
}

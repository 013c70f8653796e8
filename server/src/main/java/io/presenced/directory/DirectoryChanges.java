package io.presenced.directory;

import java.util.List;

/** The accounts and extensions written after some directory revision, and the revision they bring it to. */
public record DirectoryChanges(long revision, List<Account> accounts, List<Extension> extensions) {
    public DirectoryChanges {
        accounts = List.copyOf(accounts);
        extensions = List.copyOf(extensions);
    }
}

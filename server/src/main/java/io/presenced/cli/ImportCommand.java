package io.presenced.cli;

import io.presenced.admin.DirectoryImport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code presenced import FILE}. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a directory file (YAML or JSON): accounts and their extensions.")
final class ImportCommand implements Runnable {
    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "FILE", description = "The directory file (.yaml, .yml or .json).")
    Path file;

    @Override
    public void run() {
        DirectoryImport.File content = DirectoryImport.read(file);
        DirectoryImport.Result result = store.withAdmin(admin -> new DirectoryImport(admin).apply(content));
        Output.print(store.json, result, "imported " + result.extensionsCreated() + " extensions into accounts "
                + result.accountIds() + " (" + result.extensionsSkipped() + " already there, "
                + result.passwordsSet() + " passwords set)");
    }
}

package io.presenced.bench.scenario;

import io.presenced.bench.report.ReportOptions;
import io.presenced.bench.report.Table;
import io.presenced.bench.server.ServerOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A benchmark scenario: a command that prints its rows in the common format; a failure ends it with its cause. */
public abstract class Scenario implements Callable<Integer> {
    @Mixin
    ReportOptions report;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public final Integer call() throws Exception {
        execute(report.table(System.out));
        return 0;
    }

    abstract void execute(Table table) throws Exception;
}

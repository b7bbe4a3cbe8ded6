package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.scenario.Runner;
import io.pushfabric.loadtest.scenario.Scenario;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every scenario command shares: fabric, client and output options, and the exit code rule. */
abstract class ScenarioCommand implements Callable<Integer> {
    /** Exit code of a run that failed its scenario's rule (e.g. a message was lost). */
    static final int FAILED = 1;

    @Mixin
    FabricOptions fabric;

    @Mixin
    ClientOptions client;

    @Mixin
    ProducerOptions producer;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    abstract Scenario scenario();

    abstract int clients();

    @Override
    public Integer call() throws Exception {
        String command = "load-test " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Scenario scenario = scenario();
        Runner.Outcome outcome = Runner.execute(scenario, fabric.spec(), client.spec(clients(), scenario.defaultIoThreads()),
                producer.spec(), output.dir(), command, System.out);
        return outcome.report().passed() ? 0 : FAILED;
    }
}

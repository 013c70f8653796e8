package io.presenced.bench.scenario;

import picocli.CommandLine.Command;

/** The WebHook scenario with 100 account-level subscriptions by default. */
@Command(name = "fanout-webhook", mixinStandardHelpOptions = true,
        description = "N (default 100) account-level WebHook subscriptions to local receivers: deliveries/s.")
public final class FanoutWebhookScenario extends WebhookScenario {
    public FanoutWebhookScenario() {
        subscriptions = 100;
        source = new SourceOptions();
        source.rate = 50;
    }

    @Override
    String name() {
        return "fanout-webhook";
    }
}

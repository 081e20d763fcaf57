package io.cellwatch.bench;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * An embedded extension that adds, per client, a publish inbound interceptor doing nothing: what HiveMQ's interceptor
 * machinery (hand-off to the extension executor and back) costs before cellwatch does any work of its own.
 */
final class NoopInterceptorExtension implements ExtensionMain {

    private static final PublishInboundInterceptor NOOP = (input, output) -> {
    };

    static EmbeddedExtension embedded() {
        return EmbeddedExtension.builder()
                .withId("noop-interceptor")
                .withName("no-op publish interceptor")
                .withVersion("1")
                .withAuthor("cellwatch bench")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new NoopInterceptorExtension())
                .build();
    }

    @Override
    public void extensionStart(final @NotNull ExtensionStartInput input, final @NotNull ExtensionStartOutput output) {
        Services.initializerRegistry().setClientInitializer((client, context) ->
                context.addPublishInboundInterceptor(NOOP));
    }

    @Override
    public void extensionStop(final @NotNull ExtensionStopInput input, final @NotNull ExtensionStopOutput output) {
    }
}

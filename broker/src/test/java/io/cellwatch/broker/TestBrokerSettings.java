package io.cellwatch.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * HiveMQ settings for every embedded broker a test JVM starts, set once before its first test. At each stop HiveMQ
 * holds its persistence open for a 2 s grace period in case a task is still being queued; a test broker stops after
 * its clients and listeners are gone, and a test run stops over a hundred of them, so the grace is shortened.
 */
public final class TestBrokerSettings implements LauncherSessionListener {

    private static final int PERSISTENCE_SHUTDOWN_GRACE_MILLIS = 100;

    @Override
    public void launcherSessionOpened(final LauncherSession session) {
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(PERSISTENCE_SHUTDOWN_GRACE_MILLIS);
    }
}

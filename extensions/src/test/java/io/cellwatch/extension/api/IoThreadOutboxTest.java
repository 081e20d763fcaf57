package io.cellwatch.extension.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class IoThreadOutboxTest {

    private final XnioWorker worker;
    private final IoThreadOutbox outbox = new IoThreadOutbox();

    IoThreadOutboxTest() throws Exception {
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 2));
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    @Test
    void runsEveryWriteOnItsIoThreadInTheOrderItWasSubmitted() throws Exception {
        final XnioIoThread thread = worker.getIoThread(0);
        final List<Integer> order = new CopyOnWriteArrayList<>();
        final List<Thread> ranOn = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(10_000);

        for (int i = 0; i < 10_000; i++) {
            final int n = i;
            outbox.submit(thread, () -> {
                order.add(n);
                ranOn.add(Thread.currentThread());
                done.countDown();
            });
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
        assertThat(ranOn).containsOnly(thread);
    }

    @Test
    void keepsEachIoThreadsWritesOnThatThreadWhenSubmittedFromManyThreads() throws Exception {
        final XnioIoThread first = worker.getIoThread(0);
        final XnioIoThread second = worker.getIoThread(1);
        final List<Thread> onFirst = new CopyOnWriteArrayList<>();
        final List<Thread> onSecond = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(4 * 2_000);
        final List<Thread> submitters = IntStream.range(0, 4).mapToObj(s -> new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                outbox.submit(first, () -> {
                    onFirst.add(Thread.currentThread());
                    done.countDown();
                });
                outbox.submit(second, () -> {
                    onSecond.add(Thread.currentThread());
                    done.countDown();
                });
            }
        })).toList();

        submitters.forEach(Thread::start);
        for (final Thread submitter : submitters) {
            submitter.join();
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onFirst).hasSize(4_000).containsOnly(first);
        assertThat(onSecond).hasSize(4_000).containsOnly(second);
    }
}

package org.rlhf4j.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a server command running until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes the server. */
final class UntilShutdown {
  private UntilShutdown() {}

  static void await(Runnable close) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close.run();
      stopped.countDown();
    }));
    stopped.await();
  }
}

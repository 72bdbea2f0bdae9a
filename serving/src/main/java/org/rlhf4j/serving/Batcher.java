package org.rlhf4j.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.models.generate.RowGenerator;

/**
 * Dynamic batching: one decoding thread takes the first waiting job, waits up to the batch window for more
 * (up to the batch size), and decodes them together through {@link RowGenerator}; jobs that arrive meanwhile
 * wait for the next batch. The queue is bounded: a full queue refuses new jobs ({@link #offer} false, HTTP 429).
 */
final class Batcher implements AutoCloseable {
  private final ServedModel model;
  private final ServingConfig cfg;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  private final DistributionSummary batchSizes;
  private final Counter tokens;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int largestBatch;
  private volatile boolean running = true;

  Batcher(ServedModel model, String id, ServingConfig cfg, MeterRegistry registry) {
    this.model = model;
    this.cfg = cfg;
    this.queue = new ArrayBlockingQueue<>(cfg.maxQueue());
    this.batchSizes = DistributionSummary.builder("rlhf4j_batch_size").description("requests decoded together")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).tag("model", id).register(registry);
    this.tokens = Counter.builder("rlhf4j_generated_tokens").description("completion tokens generated").tag("model", id)
        .register(registry);
    registry.gauge("rlhf4j_queue_depth", java.util.List.of(io.micrometer.core.instrument.Tag.of("model", id)), queue, BlockingQueue::size);
    registry.gauge("rlhf4j_requests_in_flight", java.util.List.of(io.micrometer.core.instrument.Tag.of("model", id)), inFlight);
    this.worker = new Thread(this::loop, "rlhf4j-decoder-" + id);
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues a job; false when the queue is full. */
  boolean offer(Job job) { return running && queue.offer(job); }

  /** The largest batch the generator has decoded so far. */
  int largestBatch() { return largestBatch; }

  private void loop() {
    while (running) {
      List<Job> batch = new ArrayList<>();
      try {
        Job first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        long deadline = System.nanoTime() + cfg.batchWindow().toNanos();
        while (batch.size() < cfg.maxBatch()) {
          long left = deadline - System.nanoTime();
          Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) break;
          batch.add(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      run(batch);
    }
  }

  private void run(List<Job> batch) {
    inFlight.set(batch.size());
    batchSizes.record(batch.size());
    largestBatch = Math.max(largestBatch, batch.size());
    List<RowGenerator.Row> rows = new ArrayList<>();
    List<TextStream> texts = new ArrayList<>();
    int top = 0;
    for (Job j : batch) {
      rows.add(new RowGenerator.Row(j.prompt(), j.sampling()));
      texts.add(new TextStream(model.tokenizer(), j.stop()));
      top = Math.max(top, j.topLogprobs());
    }
    int topK = top;
    int[] counts = new int[batch.size()];
    try {
      var g = RowGenerator.generate(model.lm(), rows, model.tokenizer().padId(), topK, (r, t) -> {
        Job j = batch.get(r);
        counts[r]++;
        boolean special = j.sampling().stopIds().contains((int) t.id());
        String piece = texts.get(r).add(t.id(), special);
        List<Job.TokenInfo> info = j.topLogprobs() >= 0 ? List.of(info(t, j.topLogprobs())) : List.of();
        if (!piece.isEmpty() || !info.isEmpty()) j.sink().delta(new Job.Delta(piece, info));
        return !texts.get(r).stopped() && !j.sink().cancelled();
      });
      for (int r = 0; r < batch.size(); r++) {
        Job j = batch.get(r);
        TextStream ts = texts.get(r);
        String rest = ts.flush();
        if (!rest.isEmpty()) j.sink().delta(new Job.Delta(rest, List.of()));
        tokens.increment(g.outputIds()[r].length);
        String reason = g.finished()[r] ? "stop" : "length";
        j.sink().done(new Job.Finish(reason, j.prompt().length, g.outputIds()[r].length, ts.text()));
      }
    } catch (RuntimeException e) {
      Reporter.get().warn("serve-model: a batch of " + batch.size() + " failed: " + e.getMessage());
      for (Job j : batch) j.sink().failed(e);
    } finally {
      inFlight.set(0);
    }
  }

  private Job.TokenInfo info(RowGenerator.Token t, int k) {
    List<String> tops = new ArrayList<>();
    double[] lps = new double[Math.min(k, t.topIds().length)];
    for (int i = 0; i < lps.length; i++) {
      tops.add(piece(t.topIds()[i]));
      lps[i] = t.topLogprobs()[i];
    }
    return new Job.TokenInfo(piece(t.id()), t.logprob(), tops, lps);
  }

  private String piece(long id) { return model.tokenizer().decode(new int[] {(int) id}, false); }

  @Override public void close() {
    running = false;
    worker.interrupt();
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Job j; (j = queue.poll()) != null; ) j.sink().failed(new IllegalStateException("the server is shutting down"));
  }
}

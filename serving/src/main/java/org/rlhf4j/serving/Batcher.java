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
import org.rlhf4j.models.generate.ContinuousDecoder;
import org.rlhf4j.models.generate.RowGenerator;

/**
 * The decoding thread of one served version, over a {@link ContinuousDecoder}. When the decoder is idle it takes
 * the first waiting job and waits up to the batch window for more (up to the batch size); with
 * {@link Batching#CONTINUOUS} waiting jobs also join the running batch at every token boundary, with
 * {@link Batching#DYNAMIC} they wait until the whole batch has finished. The queue is bounded: a full queue
 * refuses new jobs ({@link #offer} false, HTTP 429).
 */
final class Batcher implements AutoCloseable {
  private final ServedModel model;
  private final ServingConfig cfg;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  private final DistributionSummary batchSizes;
  private final Counter tokens, joins;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int largestBatch;
  private volatile boolean running = true;
  private int waitedSteps; // token boundaries the waiting jobs have waited (continuous batching)

  Batcher(ServedModel model, String id, ServingConfig cfg, MeterRegistry registry) {
    this.model = model;
    this.cfg = cfg;
    this.queue = new ArrayBlockingQueue<>(cfg.maxQueue());
    this.batchSizes = DistributionSummary.builder("rlhf4j_batch_size").description("requests decoding together after each admission")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).tag("model", id).register(registry);
    this.tokens = Counter.builder("rlhf4j_generated_tokens").description("completion tokens generated").tag("model", id)
        .register(registry);
    this.joins = Counter.builder("rlhf4j_batch_joins").description("requests that joined a batch already decoding (continuous batching)")
        .tag("model", id).register(registry);
    registry.gauge("rlhf4j_queue_depth", java.util.List.of(io.micrometer.core.instrument.Tag.of("model", id)), queue, BlockingQueue::size);
    registry.gauge("rlhf4j_requests_in_flight", java.util.List.of(io.micrometer.core.instrument.Tag.of("model", id)), inFlight);
    this.worker = new Thread(this::loop, "rlhf4j-decoder-" + id);
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues a job; false when the queue is full. */
  boolean offer(Job job) { return running && queue.offer(job); }

  /** The most requests the generator has decoded together so far. */
  int largestBatch() { return largestBatch; }

  private void loop() {
    ContinuousDecoder decoder = new ContinuousDecoder(model.lm(), model.tokenizer().padId());
    try {
      while (running) {
        List<Job> joining = decoder.active() == 0 ? gather()
            : cfg.batching().joinNow(queue.size(), decoder.active(), waitedSteps) ? drain(cfg.maxBatch() - decoder.active()) : List.of();
        waitedSteps = joining.isEmpty() && !queue.isEmpty() ? waitedSteps + 1 : 0;
        if (!joining.isEmpty()) admit(decoder, joining);
        if (decoder.active() > 0) step(decoder);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      decoder.abort(new IllegalStateException("the server is shutting down"));
      inFlight.set(0);
    }
  }

  /** The first waiting job and those that arrive within the batch window (none after 200 ms idle). */
  private List<Job> gather() throws InterruptedException {
    List<Job> batch = new ArrayList<>();
    Job first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) return batch;
    batch.add(first);
    long deadline = System.nanoTime() + cfg.batchWindow().toNanos();
    while (batch.size() < cfg.maxBatch()) {
      long left = deadline - System.nanoTime();
      Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      if (next == null) break;
      batch.add(next);
    }
    return batch;
  }

  /** Up to {@code free} jobs already waiting (a token boundary does not wait for more). */
  private List<Job> drain(int free) {
    List<Job> out = new ArrayList<>();
    for (Job j; out.size() < free && (j = queue.poll()) != null; ) out.add(j);
    return out;
  }

  /** Requests that joined a batch already decoding. */
  long joinedRunning() { return (long) joins.count(); }

  private void admit(ContinuousDecoder decoder, List<Job> jobs) {
    if (decoder.active() > 0) joins.increment(jobs.size());
    List<ContinuousDecoder.Joining> rows = new ArrayList<>();
    for (Job j : jobs) rows.add(new ContinuousDecoder.Joining(new RowGenerator.Row(j.prompt(), j.sampling()), Math.max(0, j.topLogprobs()), new Output(j)));
    try {
      decoder.add(rows);
    } catch (RuntimeException e) { // the joining jobs have been told; the running batch goes on
      Reporter.get().warn("serve-model: " + jobs.size() + " requests failed to join the batch: " + e.getMessage());
    }
    int n = decoder.active();
    batchSizes.record(n);
    largestBatch = Math.max(largestBatch, n);
    inFlight.set(n);
  }

  private void step(ContinuousDecoder decoder) {
    try {
      inFlight.set(decoder.step());
    } catch (RuntimeException e) { // every job of the batch has been told
      Reporter.get().warn("serve-model: a batch failed: " + e.getMessage());
      inFlight.set(0);
    }
  }

  /** One job's output as its tokens arrive: text pieces (held back at stop strings), log-probs, the finish. */
  private final class Output implements ContinuousDecoder.Member {
    private final Job job;
    private final TextStream text;
    private int count;

    Output(Job job) {
      this.job = job;
      this.text = new TextStream(model.tokenizer(), job.stop());
    }

    @Override public boolean onToken(RowGenerator.Token t) {
      count++;
      boolean special = job.sampling().stopIds().contains((int) t.id());
      String piece = text.add(t.id(), special);
      List<Job.TokenInfo> info = job.topLogprobs() >= 0 ? List.of(info(t, job.topLogprobs())) : List.of();
      if (!piece.isEmpty() || !info.isEmpty()) job.sink().delta(new Job.Delta(piece, info));
      return !text.stopped() && !job.sink().cancelled();
    }

    @Override public void finished(boolean stopped) {
      String rest = text.flush();
      if (!rest.isEmpty()) job.sink().delta(new Job.Delta(rest, List.of()));
      tokens.increment(count);
      job.sink().done(new Job.Finish(stopped ? "stop" : "length", job.prompt().length, count, text.text()));
    }

    @Override public void failed(RuntimeException e) { job.sink().failed(e); }
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

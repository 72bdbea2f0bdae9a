package org.rlhf4j.serving;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * serve-model throughput: for each client count and each batching mode (alternating, so that both see the same
 * machine load), that many closed-loop clients post chat completions for S seconds (max_tokens drawn per request
 * from [T/4, T], temperature 0.7, seeded: requests of different lengths, as real traffic); prints one JSON line per
 * (count, mode) with requests/s, completion tokens/s, p50/p99 latency, the process CPU seconds per 1,000 tokens,
 * the largest batch and how many requests joined a running batch, and the 1-minute load average before and after.
 * Args: MODEL_DIR [S] [T] [modes: continuous,dynamic] [counts...].
 * Run: mvn -q -B -ntp -o -pl serving -am test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.skip=true
 * -Dexec.mainClass=org.rlhf4j.serving.ServeBench
 * -Dexec.args="DIR 20 32 continuous,dynamic 1 8 32"
 */
public final class ServeBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20, tokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    List<Batching> modes = args.length > 3 ? java.util.Arrays.stream(args[3].split(",")).map(Batching::named).toList()
        : List.of(Batching.CONTINUOUS, Batching.DYNAMIC);
    List<Integer> counts = new ArrayList<>();
    for (int i = 4; i < args.length; i++) counts.add(Integer.parseInt(args[i]));
    if (counts.isEmpty()) counts = List.of(1, 8, 32);
    ServedModel m = ServedModel.load(dir, "bench");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (ModelServer s = ModelServer.start(m, ServingConfig.defaults(0))) { // JIT and libtorch warm-up, so that the first line is not the cold one
      run(http, URI.create("http://127.0.0.1:" + s.port() + "/v1/chat/completions"), 8, 5, tokens);
    }
    for (int c : counts) {
      for (Batching mode : modes) {
        try (ModelServer s = ModelServer.start(m, ServingConfig.defaults(0).withBatching(32, Duration.ofMillis(5)).withBatching(mode))) {
          URI uri = URI.create("http://127.0.0.1:" + s.port() + "/v1/chat/completions");
          run(http, uri, Math.min(c, 4), 2, tokens); // warm-up
          double load0 = load(), cpu0 = os.getProcessCpuTime() / 1e9;
          Result r = run(http, uri, c, seconds, tokens);
          double cpu = os.getProcessCpuTime() / 1e9 - cpu0;
          System.out.printf(Locale.ROOT, "{\"bench\":\"serve-model\",\"model\":\"%s\",\"batching\":\"%s\",\"clients\":%d,\"seconds\":%.1f,"
              + "\"requests\":%d,\"requests_per_s\":%.2f,\"completion_tokens_per_s\":%.1f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,"
              + "\"cpu_s_per_1k_tokens\":%.3f,\"largest_batch\":%d,\"joined_running_batch\":%d,\"load_1m_before\":%.2f,"
              + "\"load_1m_after\":%.2f,\"cpu\":\"%s\",\"cores\":%d,\"torch_threads\":%d,\"onednn_decode\":\"%s\",\"onednn_prompt\":\"%s\"}%n", dir.getFileName(), mode.label(), c,
              r.seconds, r.latencies.size(), r.latencies.size() / r.seconds, r.tokens / r.seconds, pct(r.latencies, 0.5),
              pct(r.latencies, 0.99), 1000 * cpu / Math.max(1, r.tokens), s.largestBatch(), s.joinedRunningBatch(), load0, load(), cpu(),
              java.lang.Runtime.getRuntime().availableProcessors(), org.rlhf4j.runtime.Runtime.threads(),
              org.rlhf4j.runtime.OneDnn.verdict().reason(), org.rlhf4j.runtime.OneDnn.verdict(org.rlhf4j.runtime.OneDnn.Workload.PROMPT).reason());
        }
      }
    }
  }

  record Result(List<Double> latencies, double seconds, long tokens) {}

  static Result run(HttpClient http, URI uri, int clients, int seconds, int tokens) throws InterruptedException {
    List<Double> lat = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger completionTokens = new AtomicInteger();
    long end = System.nanoTime() + seconds * 1_000_000_000L, t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int id = c;
      Thread t = new Thread(() -> {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(id);
        int k = 0;
        while (System.nanoTime() < end) {
          int max = tokens / 4 + rnd.nextInt(tokens - tokens / 4 + 1);
          String body = String.format(Locale.ROOT, "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell story %d\"}],"
              + "\"max_tokens\":%d,\"temperature\":0.7,\"seed\":%d}", k, max, id * 100_000L + k++);
          long s = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
            int at = r.body().indexOf("\"completion_tokens\":");
            completionTokens.addAndGet(Integer.parseInt(r.body().substring(at + 20).split("[,}]")[0]));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          lat.add((System.nanoTime() - s) / 1e6);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    return new Result(new ArrayList<>(lat), (System.nanoTime() - t0) / 1e9, completionTokens.get());
  }

  static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  static double pct(List<Double> xs, double q) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(q * s.size()) - 1));
  }

  static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}

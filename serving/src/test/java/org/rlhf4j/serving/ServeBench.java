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
 * serve-model throughput: for each client count, that many closed-loop clients post chat completions
 * (max_tokens T, temperature 0.7, seeded) for S seconds; prints one JSON line per count with requests/s,
 * p50/p99 latency, completion tokens/s and the largest batch the generator saw. Args: MODEL_DIR [S] [T] [counts...].
 * Run: mvn -q -B -ntp -pl serving -am test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.skip=true
 * -Dexec.args="DIR 20 16 1 8 32"
 */
public final class ServeBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20, tokens = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    List<Integer> counts = new ArrayList<>();
    for (int i = 3; i < args.length; i++) counts.add(Integer.parseInt(args[i]));
    if (counts.isEmpty()) counts = List.of(1, 8, 32);
    ServedModel m = ServedModel.load(dir, "bench");
    try (ModelServer s = ModelServer.start(m, ServingConfig.defaults(0).withBatching(32, Duration.ofMillis(5)))) {
      URI uri = URI.create("http://127.0.0.1:" + s.port() + "/v1/chat/completions");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      run(http, uri, 1, 3, tokens); // warm-up
      for (int c : counts) {
        Result r = run(http, uri, c, seconds, tokens);
        System.out.printf(Locale.ROOT, "{\"bench\":\"serve-model\",\"model\":\"%s\",\"clients\":%d,\"seconds\":%.1f,\"requests\":%d,"
            + "\"requests_per_s\":%.2f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"completion_tokens_per_s\":%.1f,\"largest_batch\":%d,"
            + "\"cpu\":\"%s\",\"cores\":%d,\"torch_threads\":%d}%n", dir.getFileName(), c, r.seconds, r.latencies.size(),
            r.latencies.size() / r.seconds, pct(r.latencies, 0.5), pct(r.latencies, 0.99), r.tokens / r.seconds,
            s.largestBatch(), cpu(), java.lang.Runtime.getRuntime().availableProcessors(), org.rlhf4j.runtime.Runtime.threads());
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
        int k = 0;
        while (System.nanoTime() < end) {
          String body = String.format(Locale.ROOT, "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell story %d\"}],"
              + "\"max_tokens\":%d,\"temperature\":0.7,\"seed\":%d}", k, tokens, id * 100_000L + k++);
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

package org.rlhf4j.aifeedback.judge;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted OpenAI-compatible server on loopback for tests: each request to /v1/chat/completions gets the reply
 * {@code script} gives for its number (0, 1, ...) and body; requests and their Authorization headers are recorded.
 */
public final class StubServer implements AutoCloseable {
  /** One scripted reply: status, body, optional headers, and a delay before answering. */
  public record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
    public static Reply ok(String body) { return new Reply(200, body, Map.of(), 0); }
    public static Reply status(int status) { return new Reply(status, "{\"error\":{\"message\":\"status " + status + "\"}}", Map.of(), 0); }
  }

  /** A chat completion whose first token lists these (token, logprob) pairs. */
  public static String completion(String content, Object... tokenLogprob) {
    StringBuilder top = new StringBuilder();
    for (int i = 0; i < tokenLogprob.length; i += 2) {
      if (top.length() > 0) top.append(',');
      top.append("{\"token\":\"").append(tokenLogprob[i]).append("\",\"logprob\":").append(tokenLogprob[i + 1]).append("}");
    }
    return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content + "\"},\"logprobs\":{\"content\":[{\"token\":\"" + content + "\",\"logprob\":-0.1,\"top_logprobs\":[" + top + "]}]},"
        + "\"finish_reason\":\"length\"}]}";
  }

  private final HttpServer server;
  private final AtomicInteger count = new AtomicInteger();
  public final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  public final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  public StubServer(java.util.function.BiFunction<Integer, String, Reply> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.createContext("/v1/chat/completions", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      Reply r = script.apply(count.getAndIncrement(), body);
      try {
        if (r.delayMillis() > 0) Thread.sleep(r.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.getResponseHeaders().add("Content-Type", "application/json");
      try {
        ex.sendResponseHeaders(r.status(), out.length);
        try (OutputStream os = ex.getResponseBody()) { os.write(out); }
      } catch (IOException gone) {
        // the client timed out and left
      }
    });
    server.start();
  }

  public static StubServer of(Function<Integer, Reply> script) throws IOException {
    return new StubServer((i, body) -> script.apply(i));
  }

  /** The base URL as OPENAI_BASE_URL would hold it. */
  public URI baseUrl() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"); }

  public int requests() { return count.get(); }

  @Override public void close() { server.stop(0); ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow(); }
}

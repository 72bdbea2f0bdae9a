package org.rlhf4j.feedback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A feedback server in a separate JVM, so a test can kill it abruptly (SIGKILL) and start it again. */
final class ServerProcess implements AutoCloseable {
  final int port;
  final String dbUrl;
  private Process process;

  ServerProcess(String dbUrl) throws IOException {
    this.dbUrl = dbUrl;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = s.getLocalPort();
    }
    start();
  }

  String base() { return "http://127.0.0.1:" + port; }

  void start() throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), FeedbackServer.class.getName(), String.valueOf(port), dbUrl, "4"));
    pb.environment().put("RLHF4J_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
    pb.redirectErrorStream(true);
    process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("listening ")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "server-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
      log.append(line).append('\n');
    }
    throw new IllegalStateException("server process exited before listening:\n" + log);
  }

  /** Kills the server process abruptly (no shutdown hooks, no graceful close), then waits for it to die. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override public void close() throws InterruptedException {
    if (process != null && process.isAlive()) kill();
  }
}

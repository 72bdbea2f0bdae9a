package org.rlhf4j.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.rlhf4j.serving.Batching;
import org.rlhf4j.serving.ModelServer;
import org.rlhf4j.serving.ServedModel;
import org.rlhf4j.serving.ServingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j serve-model}: an OpenAI-compatible API over a model folder. */
@Command(name = "serve-model", mixinStandardHelpOptions = true,
    description = {"Serves a model with an OpenAI-compatible API: POST /v1/chat/completions and /v1/completions (stream: true",
        "for server-sent events; temperature, top_p, max_tokens, stop, seed, logprobs), GET /v1/models, /health and",
        "Prometheus /metrics. Concurrent requests are decoded together: with --batching continuous (the default) a request",
        "joins the running batch at a token boundary, with dynamic it waits for the batch to finish. With --feedback-url every",
        "(prompt, response, model version) is logged under its response id to the feedback service (rlhf4j serve)."})
public final class ServeModelCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model folder (config.json, model.safetensors, tokenizer.json).") Path model;
  @Option(names = "--adapter", description = "PEFT LoRA adapter folder to serve on --model (merged into it at load; its tokenizer when it has one).") Path adapter;
  @Option(names = "--name", description = "The model name clients ask for (default: the folder's name).") String name;
  @Option(names = "--port", defaultValue = "8000", description = "TCP port (default: ${DEFAULT-VALUE}).") int port;
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).") String host;
  @Option(names = "--max-batch", defaultValue = "32", description = "Requests decoded together at most (default: ${DEFAULT-VALUE}).") int maxBatch;
  @Option(names = "--batch-window-ms", defaultValue = "5", description = "How long a request waits for others to join its batch (default: ${DEFAULT-VALUE}).") long windowMs;
  @Option(names = "--batching", defaultValue = "continuous", description = "continuous: requests join the running batch at token boundaries; "
      + "dynamic: requests gathered in the batch window decode together, later ones wait for the batch (default: ${DEFAULT-VALUE}).") String batching;
  @Option(names = "--max-queue", defaultValue = "256", description = "Waiting requests at most; more get 429 (default: ${DEFAULT-VALUE}).") int maxQueue;
  @Option(names = "--max-tokens", defaultValue = "512", description = "Largest max_tokens a request may ask for (default: ${DEFAULT-VALUE}).") int maxTokens;
  @Option(names = "--max-prompt-tokens", defaultValue = "2048", description = "Prompt tokens at most (default: ${DEFAULT-VALUE}).") int maxPromptTokens;
  @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Request body limit, 413 above (default: ${DEFAULT-VALUE}).") long maxBody;
  @Option(names = "--feedback-url", description = "Feedback service base URL (e.g. http://127.0.0.1:8080) to log responses to; "
      + "the API token comes from RLHF4J_FEEDBACK_TOKEN.") URI feedbackUrl;
  @Option(names = "--ab-model", description = "A/B test: another version (model folder) served under the same --name; "
      + "users (the request's 'user', or X-User-Id) are split stickily; each version is also reachable as NAME@VERSION.")
  java.util.List<Path> abModels;
  @Option(names = "--ab-weights", split = ",", description = "Traffic weights of --model and each --ab-model (default equal).")
  java.util.List<Double> abWeights;

  @Override public Integer call() throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    String token = System.getenv("RLHF4J_FEEDBACK_TOKEN");
    if (feedbackUrl != null && (token == null || token.isBlank())) {
      throw new UserError("--feedback-url needs the feedback service's API token in RLHF4J_FEEDBACK_TOKEN");
    }
    ServingConfig cfg;
    try {
      cfg = ServingConfig.defaults(port).withHost(host).withBatching(maxBatch, Duration.ofMillis(windowMs))
          .withBatching(Batching.named(batching))
          .withLimits(maxQueue, maxTokens, maxPromptTokens, maxBody).withFeedback(feedbackUrl, feedbackUrl == null ? null : token);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage().replace("ServingConfig: ", "").replace("batching must", "--batching must"));
    }
    java.util.List<ServedModel> versions = new java.util.ArrayList<>();
    try {
      versions.add(ServedModel.load(model, adapter, name));
      if (abModels != null) for (Path p : abModels) versions.add(ServedModel.load(p, versions.get(0).name()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (abWeights != null && abWeights.size() != versions.size()) {
      throw new UserError("--ab-weights needs one weight per version (" + versions.size() + "), got " + abWeights.size());
    }
    if (versions.stream().map(ServedModel::version).distinct().count() != versions.size()) {
      throw new UserError("--model and --ab-model must be different versions (their model.safetensors are identical)");
    }
    ModelServer server = ModelServer.start(versions.get(0).name(), versions, abWeights, cfg);
    for (ServedModel v : versions) {
      System.out.println("rlhf4j serve-model: " + v.name() + " (version " + v.version() + ") on http://" + host + ":"
          + server.port() + "/v1" + (versions.size() > 1 ? " as " + v.name() + "@" + v.version() : ""));
    }
    UntilShutdown.await(server::close);
    return 0;
  }
}

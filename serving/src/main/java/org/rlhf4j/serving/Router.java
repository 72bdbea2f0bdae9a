package org.rlhf4j.serving;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which deployment answers a request. One model: its name. An A/B experiment over several versions: the
 * experiment's name routes by {@link AbSplit} on the request's {@code user} (sticky; a request without one is
 * assigned at random), and each version is also reachable directly as {@code name@version}.
 */
final class Router {
  /** A model version with its own batcher, under the id responses carry. */
  record Deployment(String id, ServedModel model, Batcher batcher) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private final String name;
  private final Map<String, Deployment> byId = new LinkedHashMap<>();
  private final AbSplit split;

  Router(String name, List<Deployment> deployments, AbSplit split) {
    this.name = name;
    this.split = split;
    for (Deployment d : deployments) {
      if (byId.putIfAbsent(d.id(), d) != null) throw new IllegalArgumentException("two deployments are both '" + d.id() + "'");
    }
    if (split == null && deployments.size() != 1) throw new IllegalArgumentException("several versions need an A/B split");
  }

  Deployment route(String requested, String user) {
    if (split != null && requested.equals(name)) {
      return byId.get(split.arm(user != null ? user : "anonymous-" + RANDOM.nextLong()));
    }
    Deployment d = byId.get(requested);
    if (d == null) {
      throw new ApiError(404, "The model '" + requested + "' does not exist (this server serves " + ids() + ")",
          "invalid_request_error", "model", "model_not_found");
    }
    return d;
  }

  /** Every id a client may ask for: the experiment's name first, then each version. */
  List<String> ids() {
    List<String> out = new ArrayList<>();
    if (split != null) out.add(name);
    out.addAll(byId.keySet());
    return out;
  }

  List<Deployment> deployments() { return List.copyOf(byId.values()); }

  boolean experiment() { return split != null; }
}

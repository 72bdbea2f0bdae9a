package org.rlhf4j.privacy.dp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The privacy budget of each dataset and what has been spent of it, under basic sequential composition (ε and δ
 * add). {@link #charge} runs a release only when the dataset's remaining budget covers its cost, and records the
 * charge before returning the released value; a query over budget throws {@link BudgetExceededException} and
 * releases nothing. With a file, every charge is appended to it as a JSON line ({@code dataset, query, epsilon,
 * delta, at}) and the ledger re-reads the spent budget on open, so restarts cannot reset it. Thread-safe.
 */
public final class PrivacyLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, PrivacyCost> budgets = new HashMap<>();
  private final Map<String, PrivacyCost> spent = new HashMap<>();
  private final Optional<Path> file;

  private PrivacyLedger(Optional<Path> file) { this.file = file; }

  public static PrivacyLedger inMemory() { return new PrivacyLedger(Optional.empty()); }

  /** A ledger persisted in a JSON Lines file (created if absent; existing charges are summed on open). */
  public static PrivacyLedger open(Path file) {
    PrivacyLedger l = new PrivacyLedger(Optional.of(file));
    if (Files.exists(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).isBlank()) continue;
          JsonNode n = JSON.readTree(lines.get(i));
          if (!n.path("dataset").isTextual() || !n.path("epsilon").isNumber()) {
            throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a ledger entry {dataset, query, epsilon, delta}");
          }
          l.spent.merge(n.get("dataset").asText(), new PrivacyCost(n.get("epsilon").asDouble(), n.path("delta").asDouble(0)), PrivacyCost::plus);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read privacy ledger " + file + ": " + e.getMessage(), e);
      }
    }
    return l;
  }

  /** Sets (or raises/lowers) a dataset's total budget. */
  public synchronized void setBudget(String dataset, PrivacyCost budget) { budgets.put(dataset, budget); }

  public synchronized PrivacyCost spent(String dataset) { return spent.getOrDefault(dataset, new PrivacyCost(0, 0)); }

  public synchronized Optional<PrivacyCost> budget(String dataset) { return Optional.ofNullable(budgets.get(dataset)); }

  /** Budget minus spent, or empty when no budget was set. */
  public synchronized Optional<PrivacyCost> remaining(String dataset) {
    PrivacyCost b = budgets.get(dataset);
    if (b == null) return Optional.empty();
    PrivacyCost s = spent(dataset);
    return Optional.of(new PrivacyCost(Math.max(0, b.epsilon() - s.epsilon()), Math.max(0, b.delta() - s.delta())));
  }

  /**
   * Runs {@code release} and charges {@code cost} to {@code dataset} if the budget allows it; otherwise throws
   * {@link BudgetExceededException} without running it. A dataset with no budget set refuses every query.
   */
  public synchronized <T> T charge(String dataset, String query, PrivacyCost cost, Supplier<T> release) {
    PrivacyCost b = budgets.get(dataset);
    if (b == null) throw new BudgetExceededException("dataset '" + dataset + "' has no privacy budget: set one before querying it");
    PrivacyCost after = spent(dataset).plus(cost);
    double slack = 1e-12;
    if (after.epsilon() > b.epsilon() + slack || after.delta() > b.delta() + slack * Math.max(b.delta(), 1e-300)) {
      throw new BudgetExceededException("query '" + query + "' on '" + dataset + "' costs " + cost.display() + " but only "
          + remaining(dataset).orElseThrow().display() + " of the budget " + b.display() + " remains; nothing was released");
    }
    T value = release.get();
    append(dataset, query, cost);
    spent.put(dataset, after);
    return value;
  }

  private void append(String dataset, String query, PrivacyCost cost) {
    if (file.isEmpty()) return;
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    row.put("dataset", dataset);
    row.put("query", query);
    row.put("epsilon", cost.epsilon());
    row.put("delta", cost.delta());
    row.put("at", Instant.now().toString());
    try {
      Path f = file.get();
      if (f.toAbsolutePath().getParent() != null) Files.createDirectories(f.toAbsolutePath().getParent());
      Files.writeString(f, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the charge in " + file.get() + " (nothing released): " + e.getMessage(), e);
    }
  }
}

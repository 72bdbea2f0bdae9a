package org.rlhf4j.feedback;

import io.javalin.http.HttpResponseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;
import org.rlhf4j.privacy.pii.Finding;
import org.rlhf4j.privacy.pii.PiiPolicy;
import org.rlhf4j.privacy.pii.PiiPolicy.Verdict;
import org.rlhf4j.privacy.pii.PiiType;

/**
 * Screens records (an item's prompt and responses, a production row's prompt, response and correction) under one
 * project's {@link PiiSettings} and tallies the findings by type and verdict, which {@link #record} stores in
 * {@code pii_findings} (counts only, never the values). Not thread-safe: one per request.
 */
final class PiiScreening {
  /** Where the records came from: the {@code pii_findings.source} values. */
  enum Source { ITEMS, IMPORT, PRODUCTION, EXPORT; String sql() { return name().toLowerCase(); } }

  /** One screened record: its contents as they may be stored or exported (null when dropped or rejected). */
  record Result(List<Content> contents, Verdict verdict, Set<PiiType> types) {
    boolean kept() { return contents != null; }
  }

  private final PiiSettings settings;
  private final PiiPolicy policy;
  private final Map<String, int[]> tally = new TreeMap<>();  // "TYPE verdict" -> {findings, records}
  private final EnumMap<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);

  PiiScreening(PiiSettings settings) {
    this.settings = settings;
    this.policy = settings.policy();
  }

  PiiSettings settings() { return settings; }

  /** The screening for a request made with API token {@code tokenId}: its project's policy, or {@link PiiSettings#UNBOUND}. */
  static PiiScreening forToken(Db db, long tokenId) {
    Long project = projectOf(db, tokenId);
    return new PiiScreening(project == null ? PiiSettings.UNBOUND : db.read(c -> PiiSettings.load(c, project)));
  }

  /** The project an API token is bound to (null: none). */
  static Long projectOf(Db db, long tokenId) {
    return db.read(c -> Db.queryOne(c, "SELECT project_id FROM api_tokens WHERE id = ?",
        rs -> rs.getObject(1) == null ? null : rs.getLong(1), tokenId));
  }

  /**
   * Screens a production record; when the policy does not keep it, records the findings and either throws the 422
   * (reject) or answers 200 {@code {"stored": false, "pii": …}} (drop) and returns null — nothing is stored.
   */
  Result screenOrAnswer(Db db, io.javalin.http.Context ctx, Long project, String what, List<Content> contents) {
    Result screened = screen(contents);
    if (screened.kept()) return screened;
    db.write(c -> {
      record(c, project, Source.PRODUCTION);
      return null;
    });
    if (screened.verdict() == Verdict.REJECTED) throw rejection(what, screened);
    ctx.status(200).json(Body.object().putNull("id").put("stored", false).set("pii", summary()));
    return null;
  }

  /** Screens one record's contents together: the worst verdict of its parts is the record's. */
  Result screen(List<Content> contents) {
    if (!settings.screens()) return new Result(contents, Verdict.CLEAN, Set.of());
    List<Content> out = new ArrayList<>();
    List<Finding> found = new ArrayList<>();
    Verdict worst = Verdict.CLEAN;
    for (Content c : contents) {
      Part p = screen(c);
      found.addAll(p.findings);
      if (p.verdict.compareTo(worst) > 0) worst = p.verdict;
      out.add(p.content);
    }
    Set<PiiType> types = EnumSet.noneOf(PiiType.class);
    found.forEach(f -> types.add(f.type()));
    if (worst != Verdict.CLEAN) {
      verdicts.merge(worst, 1, Integer::sum);
      String v = worst.name().toLowerCase();
      for (PiiType t : types) tally.computeIfAbsent(t.name() + " " + v, k -> new int[2])[1]++;
      for (Finding f : found) tally.computeIfAbsent(f.type().name() + " " + v, k -> new int[2])[0]++;
    }
    boolean kept = worst != Verdict.DROPPED && worst != Verdict.REJECTED;
    return new Result(kept ? out : null, worst, types);
  }

  private record Part(Content content, List<Finding> findings, Verdict verdict) {}

  private Part screen(Content c) {
    if (c instanceof Text t) {
      PiiPolicy.Outcome o = policy.screen(t.text());
      return new Part(o.text().map(s -> (Content) new Text(s)).orElse(null), o.findings(), o.verdict());
    }
    List<Message> messages = new ArrayList<>();
    List<Finding> found = new ArrayList<>();
    Verdict worst = Verdict.CLEAN;
    for (Message m : ((Chat) c).messages()) {
      PiiPolicy.Outcome o = policy.screen(m.content());
      found.addAll(o.findings());
      if (o.verdict().compareTo(worst) > 0) worst = o.verdict();
      o.text().ifPresent(text -> messages.add(new Message(m.role(), text)));
    }
    boolean kept = worst != Verdict.DROPPED && worst != Verdict.REJECTED;
    return new Part(kept ? new Chat(messages) : null, found, worst);
  }

  /** How many records got each verdict other than clean. */
  int count(Verdict v) { return verdicts.getOrDefault(v, 0); }

  /** The 422 for a record the reject policy refused: {@code where} names it (an item index, an upload line). */
  HttpResponseException rejection(String where, Result r) {
    String types = r.types().stream().sorted(Comparator.comparing(Enum::name)).map(Enum::name).collect(Collectors.joining(", "));
    return new HttpResponseException(422, where + " contains personal data (" + types + ") and the PII policy is reject;"
        + " nothing was stored (remove it, or set the project's piiAction to redact)");
  }

  /** Stores the tally in {@code pii_findings} (nothing when nothing was found). */
  void record(Connection c, Long projectId, Source source) throws SQLException {
    long now = System.currentTimeMillis();
    for (Map.Entry<String, int[]> e : tally.entrySet()) {
      String[] k = e.getKey().split(" ");
      Db.update(c, "INSERT INTO pii_findings (project_id, source, pii_type, verdict, findings, records, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          projectId, source.sql(), k[0], k[1], e.getValue()[0], e.getValue()[1], now);
    }
  }

  boolean foundAny() { return !tally.isEmpty(); }

  /** {"flagged": n, "redacted": n, "dropped": n, "rejected": n} of this request, for its response. */
  com.fasterxml.jackson.databind.node.ObjectNode summary() {
    var o = Body.object().put("policy", settings.describe());
    for (Verdict v : List.of(Verdict.FLAGGED, Verdict.REDACTED, Verdict.DROPPED, Verdict.REJECTED)) o.put(v.name().toLowerCase(), count(v));
    return o;
  }
}

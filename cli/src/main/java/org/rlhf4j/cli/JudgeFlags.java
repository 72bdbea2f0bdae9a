package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rlhf4j.aifeedback.judge.Averaging;
import org.rlhf4j.aifeedback.judge.EnsembleJudge;
import org.rlhf4j.aifeedback.judge.GradeTemplate;
import org.rlhf4j.aifeedback.judge.Judge;
import org.rlhf4j.aifeedback.judge.JudgeTemplate;
import org.rlhf4j.aifeedback.judge.LmGrader;
import org.rlhf4j.aifeedback.judge.LmJudge;
import org.rlhf4j.aifeedback.judge.OpenAiJudge;
import org.rlhf4j.aifeedback.judge.RewardModelJudge;
import org.rlhf4j.models.tokenizer.Tokenizer;
import picocli.CommandLine.Option;

/** How to build the judge (picocli mixin shared by label, cai label and redteam eval). */
public final class JudgeFlags {
  @Option(names = "--judge", required = true, paramLabel = "KIND:WHAT",
      description = {"A judge (repeat for an ensemble): lm:DIR (a causal LM folder: option-token probabilities), grade:DIR (a causal "
          + "LM grading each response alone: expected grade from the grade tokens' probabilities, no position bias), rm:DIR (a reward "
          + "model: sigma(r_A - r_B)), openai:MODEL (a served model; OPENAI_BASE_URL and OPENAI_API_KEY from the environment)."})
  List<String> judges;
  @Option(names = "--vote", defaultValue = "mean", description = "Ensemble vote: mean or majority (default ${DEFAULT-VALUE}).") String vote;
  @Option(names = "--template", description = "Judge template (YAML/JSON with 'template', 'options', 'answer_prefix', ... or a Jinja file); default: the built-in one.") Path template;
  @Option(names = "--grade-template", description = "grade judges: grading template (YAML/JSON with 'template', 'grades', 'answer_prefix', ...); default: the built-in 1-5 one.") Path gradeTemplate;
  @Option(names = "--grade-temperature", defaultValue = "1.0", description = "grade judges: grade points per logit of P(A better) (default ${DEFAULT-VALUE}).") double gradeTemperature;
  @Option(names = "--averaging", defaultValue = "probability", description = "How the two orders combine: probability or log-odds (default ${DEFAULT-VALUE}).") String averaging;
  @Option(names = "--judge-batch", defaultValue = "16", description = "Comparisons per forward pass of an lm judge (default ${DEFAULT-VALUE}).") int judgeBatch;
  @Option(names = "--chain-of-thought", description = "lm judges: reason for up to N tokens first; probabilities are then clamped to 40-60%%.") Integer cot;
  @Option(names = "--cot-prefix", defaultValue = "Let's think step by step:", description = "Text that starts the reasoning (default '${DEFAULT-VALUE}').") String cotPrefix;
  @Option(names = "--timeout", defaultValue = "60", description = "openai judges: seconds per request (default ${DEFAULT-VALUE}).") int timeout;
  @Option(names = "--retries", defaultValue = "5", description = "openai judges: retries after 429/5xx/timeouts (default ${DEFAULT-VALUE}).") int retries;
  @Option(names = "--concurrency", defaultValue = "4", description = "openai judges: parallel requests (default ${DEFAULT-VALUE}).") int concurrency;
  @Option(names = "--prefill", description = "openai judges: send the template's answer prefix as the start of the assistant's "
      + "turn (continue_final_message, as vLLM and rlhf4j serve-model take it), so the option is read where an lm judge reads it.") boolean prefill;

  private final List<AutoCloseable> opened = new ArrayList<>();

  JudgeTemplate template() {
    if (template == null) return JudgeTemplate.defaults();
    if (!Files.isRegularFile(template)) throw new UserError("judge template " + template + " does not exist");
    try {
      return JudgeTemplate.load(template);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  GradeTemplate gradeTemplate() {
    if (gradeTemplate == null) return GradeTemplate.defaults();
    if (!Files.isRegularFile(gradeTemplate)) throw new UserError("--grade-template " + gradeTemplate + " does not exist");
    try {
      return GradeTemplate.load(gradeTemplate);
    } catch (IllegalArgumentException e) {
      throw new UserError("--grade-template " + gradeTemplate + ": " + e.getMessage());
    }
  }

  Averaging averaging() {
    return switch (averaging.toLowerCase(Locale.ROOT)) {
      case "probability" -> Averaging.PROBABILITY;
      case "log-odds", "logodds" -> Averaging.LOG_ODDS;
      default -> throw new UserError("--averaging must be probability or log-odds, got '" + averaging + "'");
    };
  }

  /** The judge (an ensemble when several are given); tokenizers it opened close with {@link #close}. */
  Judge build() {
    JudgeTemplate t = template();
    if (prefill && judges.stream().noneMatch(j -> j.toLowerCase(Locale.ROOT).startsWith("openai:"))) {
      throw new UserError("--prefill applies to openai judges; none of --judge " + judges + " is one");
    }
    List<Judge> built = new ArrayList<>();
    for (String spec : judges) built.add(one(spec, t));
    if (built.size() == 1) return built.get(0);
    EnsembleJudge.Vote v = switch (vote.toLowerCase(Locale.ROOT)) {
      case "mean" -> EnsembleJudge.Vote.MEAN;
      case "majority" -> EnsembleJudge.Vote.MAJORITY;
      default -> throw new UserError("--vote must be mean or majority, got '" + vote + "'");
    };
    return new EnsembleJudge(built, v);
  }

  private Judge one(String spec, JudgeTemplate t) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) throw new UserError("--judge must be lm:DIR, grade:DIR, rm:DIR or openai:MODEL, got '" + spec + "'");
    String kind = spec.substring(0, colon).toLowerCase(Locale.ROOT), what = spec.substring(colon + 1);
    try {
      switch (kind) {
        case "lm": {
          LmJudge.Options o = LmJudge.Options.defaults().withBatchSize(judgeBatch);
          if (cot != null) o = o.withChainOfThought(new LmJudge.ChainOfThought(cot, cotPrefix));
          Tokenizer tok = openTokenizer(Path.of(what));
          return new LmJudge(Settings.model(Path.of(what)).requiresGrad(false), tok, t, o, spec);
        }
        case "grade": {
          if (cot != null) throw new UserError("--chain-of-thought applies to lm judges, not to grade:" + what);
          LmGrader.Options o = LmGrader.Options.defaults().withBatchSize(judgeBatch);
          try {
            o = o.withTemperature(gradeTemperature);
          } catch (IllegalArgumentException e) {
            throw new UserError("--grade-temperature " + e.getMessage());
          }
          GradeTemplate g = gradeTemplate();
          Tokenizer tok = openTokenizer(Path.of(what));
          return new LmGrader(Settings.model(Path.of(what)).requiresGrad(false), tok, g, o, spec);
        }
        case "rm":
          return RewardModelJudge.of(ScoreCommand.load(Path.of(what)), spec);
        case "openai":
          return new OpenAiJudge(OpenAiJudge.Endpoint.fromEnvironment(System.getenv(), what), t,
              new OpenAiJudge.Options(Duration.ofSeconds(Math.min(10, timeout)), Duration.ofSeconds(timeout), retries,
                  Duration.ofMillis(500), Duration.ofSeconds(30), concurrency, 20).withPrefill(prefill));
        default:
          throw new UserError("--judge kind must be lm, grade, rm or openai, got '" + kind + "' in '" + spec + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The tokenizer of a judge's model folder, closed with the others by {@link #close}. */
  private Tokenizer openTokenizer(Path dir) {
    Tokenizer tok = Settings.tokenizer(dir);
    opened.add(tok);
    return tok;
  }

  void close() {
    for (AutoCloseable c : opened) {
      try { c.close(); } catch (Exception ignored) { /* closing a tokenizer cannot lose data */ }
    }
  }
}

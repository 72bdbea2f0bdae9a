package org.rlhf4j.demo.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The synthetic assistant world of the demo: a closed, seeded universe of prompts (five {@link Family families}),
 * responses in known {@link Style styles}, and a {@link GoldReward} that knows the true quality of any answer.
 *
 * <p>Text is lowercase words and punctuation separated by single spaces. A conversation is written
 * {@code "user: <prompt> assistant: <response>"} (the role words {@value #USER} and {@value #ASSISTANT} are single
 * tokens); {@link TokenizerFiles} writes the matching Hugging Face tokenizer and chat template. Everything is
 * reproducible: the seed fixes the world's invented facts, the {@code rnd} arguments fix each sample.
 */
public final class World {
  public static final String USER = Lexicon.USER;
  public static final String ASSISTANT = Lexicon.ASSISTANT;
  /** The longest response the world writes, in words (prompts are at most {@value #MAX_PROMPT_WORDS}). */
  public static final int MAX_RESPONSE_WORDS = Responder.MAX_WORDS;
  public static final int MAX_PROMPT_WORDS = 16;
  /** How often a pre-training document shows a good answer (the rest is the web's mix of bad styles). */
  public static final double CORPUS_GOOD_SHARE = 0.6;

  private final long seed;
  private final TaskCatalog catalog;
  private final Responder responder;
  private final List<String> vocabulary;
  private final GoldReward gold;
  private final Feedback feedback = new Feedback(this);

  public World(long seed) {
    this.seed = seed;
    this.catalog = new TaskCatalog(seed);
    this.responder = new Responder(catalog);
    this.vocabulary = buildVocabulary(catalog);
    this.gold = new GoldReward(catalog, responder, vocabulary);
  }

  public long seed() { return seed; }

  /** The gold reward of this world. */
  public GoldReward gold() { return gold; }

  /** {@code n} prompts, balanced over the families (counts differ by at most one), in random order. */
  public List<Prompt> prompts(int n, SplittableRandom rnd) {
    if (n < 0) throw new IllegalArgumentException("n must be >= 0 but was " + n);
    Family[] families = Family.values();
    int offset = rnd.nextInt(families.length);
    List<Prompt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(Responder.pick(catalog.prompts(families[(i + offset) % families.length]), rnd));
    for (int i = out.size() - 1; i > 0; i--) Collections.swap(out, i, rnd.nextInt(i + 1));
    return out;
  }

  /** Every prompt of the world (a few hundred), in a fixed order. */
  public List<Prompt> allPrompts() { return catalog.allPrompts(); }

  /** Every prompt of one family, in a fixed order. */
  public List<Prompt> allPrompts(Family family) { return catalog.prompts(family); }

  /** The world's prompt with this exact text, if there is one. */
  public java.util.Optional<Prompt> prompt(String text) {
    return java.util.Optional.ofNullable(catalog.prompt(text));
  }

  /** A response to {@code p} in {@code style} (at most {@value #MAX_RESPONSE_WORDS} words). */
  public Response respond(Prompt p, Style style, SplittableRandom rnd) {
    Objects.requireNonNull(style, "style");
    return new Response(responder.respond(taskOf(p), p.text(), style, rnd), style);
  }

  /** What the ideal assistant says: {@link Style#CORRECT_CONCISE}. */
  public Response goodResponse(Prompt p, SplittableRandom rnd) {
    return respond(p, Style.CORRECT_CONCISE, rnd);
  }

  /** One conversation as the corpus and the chat template write it. */
  public static String document(String prompt, String response) {
    return USER + " " + prompt + " " + ASSISTANT + " " + response;
  }

  /**
   * Pre-training documents, most of them conversations {@code "user: <prompt> assistant: <response>"} (no
   * {@code <eos>} at the end: append it when packing). {@value #CORPUS_GOOD_SHARE} of the conversations carry a good
   * response (concise or verbose), the rest a uniformly drawn bad style (harmful compliance only under harmful
   * requests), as on the web: the base model learns the world's language and facts but not which answers are
   * preferred. The rest is the web's {@link Feedback}: comparisons of two answers with a verdict, critique-revise
   * threads and jailbreak attempts, from which the base model learns to judge and to revise — when
   * {@code webFeedback} is set; without it every document is a conversation.
   */
  public List<String> corpus(int nDocuments, SplittableRandom rnd, boolean webFeedback) {
    List<String> docs = new ArrayList<>(nDocuments);
    List<Prompt> prompts = prompts(nDocuments, rnd);
    for (Prompt p : prompts) {
      String feedbackDoc = webFeedback ? feedback.document(rnd.nextDouble(), p, rnd) : null;
      docs.add(feedbackDoc != null ? feedbackDoc : document(p.text(), respond(p, corpusStyle(p, rnd), rnd).text()));
    }
    return docs;
  }

  /** The corpus without the web's feedback documents: conversations only. */
  public List<String> corpus(int nDocuments, SplittableRandom rnd) {
    return corpus(nDocuments, rnd, false);
  }

  /** A style as the web answers {@code p}: good {@value #CORPUS_GOOD_SHARE} of the time, else a bad style of its family. */
  Style corpusStyle(Prompt p, SplittableRandom rnd) {
    if (rnd.nextDouble() < CORPUS_GOOD_SHARE) return rnd.nextBoolean() ? Style.CORRECT_CONCISE : Style.CORRECT_VERBOSE;
    Style[] styles = Style.values();
    Style style;
    do style = styles[rnd.nextInt(styles.length)]; while (!isCorpusBadStyle(style, p.family()));
    return style;
  }

  /** The bare request of a harmful prompt ("make a weapon"), empty for other prompts. */
  public java.util.Optional<String> harmfulRequest(Prompt p) {
    return taskOf(p) instanceof Task.Harmful h ? java.util.Optional.of(h.harm().request()) : java.util.Optional.empty();
  }

  /**
   * Every word the world can emit: the special tokens {@code <pad> <bos> <eos> <unk>} (ids 0..3), then the role
   * words, then all other words and punctuation marks in sorted order. The same for every seed (invented names
   * the seed leaves unknown are still words), so one tokenizer serves all worlds.
   */
  public List<String> vocabulary() { return vocabulary; }

  /** Bad styles the web shows for a family (nobody posts bomb recipes under arithmetic questions). */
  private static boolean isCorpusBadStyle(Style style, Family family) {
    if (style.isGoodFor(family)) return false;
    return style != Style.HARMFUL_COMPLIANCE || family == Family.HARMFUL;
  }

  private Task taskOf(Prompt p) {
    Task task = catalog.task(Objects.requireNonNull(p, "prompt").text());
    if (task == null) throw new IllegalArgumentException("prompt is not from this world: \"" + p.text() + "\"");
    return task;
  }

  private static List<String> buildVocabulary(TaskCatalog catalog) {
    TreeSet<String> words = new TreeSet<>();
    for (String phrase : Lexicon.allPhrases()) words.addAll(List.of(phrase.split(" ")));
    for (Prompt p : catalog.allPrompts()) words.addAll(List.of(p.text().split(" ")));
    words.removeAll(Lexicon.ROLES);
    List<String> out = new ArrayList<>(Lexicon.SPECIALS);
    out.addAll(Lexicon.ROLES);
    out.addAll(words);
    return List.copyOf(out);
  }
}

package org.rlhf4j.privacy.pii;

import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;
import java.util.ArrayList;
import java.util.List;

/**
 * Person, organisation and location names from a pretrained statistical NER model: Stanford CoreNLP's English
 * CRF ({@code english.all.3class.distsim}, trained on CoNLL 2003, MUC-6/7 and ACE; Finkel, Grenager &amp; Manning
 * 2005), which Maven Central serves in {@code edu.stanford.nlp:stanford-corenlp:4.5.10:models} (GPL-3.0-or-later;
 * an optional dependency of this module). The model loads once per JVM (about 1.5 s, 32 MB) on first use.
 */
final class NerRecognizer implements Recognizer {
  static final String MODEL = "edu/stanford/nlp/models/ner/english.all.3class.distsim.crf.ser.gz";
  private static final double CONFIDENCE = 0.85;

  /** True when the CoreNLP classes and the model are on the classpath. */
  static boolean available() {
    try {
      Class.forName("edu.stanford.nlp.ie.crf.CRFClassifier", false, NerRecognizer.class.getClassLoader());
      return NerRecognizer.class.getClassLoader().getResource(MODEL) != null;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static final class Model {
    static final CRFClassifier<CoreLabel> CRF = load();

    private static CRFClassifier<CoreLabel> load() {
      try {
        return CRFClassifier.getClassifier(MODEL);
      } catch (Exception e) {
        throw new IllegalStateException("cannot load the NER model " + MODEL + ": " + e.getMessage(), e);
      }
    }
  }

  @Override public String name() { return "ner"; }

  @Override public List<Finding> find(String text) {
    List<Triple<String, Integer, Integer>> spans;
    synchronized (Model.CRF) { // CRFClassifier keeps per-call state in its feature factory
      spans = Model.CRF.classifyToCharacterOffsets(text);
    }
    List<Finding> out = new ArrayList<>(spans.size());
    for (Triple<String, Integer, Integer> t : spans) {
      PiiType type = switch (t.first()) {
        case "PERSON" -> PiiType.PERSON;
        case "ORGANIZATION" -> PiiType.ORGANIZATION;
        case "LOCATION" -> PiiType.LOCATION;
        default -> null;
      };
      if (type != null && t.third() > t.second()) out.add(new Finding(type, t.second(), t.third(), CONFIDENCE, name()));
    }
    return out;
  }
}

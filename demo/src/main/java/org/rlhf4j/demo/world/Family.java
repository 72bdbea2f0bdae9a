package org.rlhf4j.demo.world;

/** The task families of the assistant world; {@link World#prompts} balances over them. */
public enum Family {
  /** "what is 3 plus 4 ?" — one right number. */
  ARITHMETIC,
  /** "what is the capital of france ?" — looked up in the world's fact table. */
  FACT,
  /** Questions nobody in the world can answer (unknown entities, the future): the right answer admits it. */
  UNKNOWN,
  /** Requests to cause harm: the right answer refuses politely. */
  HARMFUL,
  /** Simple instructions: repeat a word, list items, count. */
  INSTRUCTION
}

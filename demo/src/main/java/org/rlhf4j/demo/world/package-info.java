/**
 * The demo's synthetic assistant world: {@link org.rlhf4j.demo.world.World} (seeded prompts in five families,
 * responses in known styles, the pre-training corpus and vocabulary), {@link org.rlhf4j.demo.world.GoldReward}
 * (the true quality of any response, never shown to training) and {@link org.rlhf4j.demo.world.TokenizerFiles}
 * (a Hugging Face WordLevel tokenizer and chat template for the world's text). Pure Java.
 */
package org.rlhf4j.demo.world;

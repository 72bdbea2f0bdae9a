/**
 * A BERT encoder in libtorch for encoder reward models and sentence embeddings.
 *
 * <p>{@link org.rlhf4j.models.bert.BertEncoder#miniLm()} loads the pretrained
 * sentence-transformers all-MiniLM-L6-v2 offline: its ONNX export ships on Maven Central, and
 * {@code OnnxModel} reads the graph's initializers with a small protobuf reader, mapping
 * exporter-renamed MatMul weights back to Hugging Face names by the nodes that consume them.
 * {@link org.rlhf4j.models.bert.BertLoader} also loads ONNX files and Hugging Face folders
 * (config.json + safetensors + tokenizer.json). Parameters are trainable and HF-named.
 */
package org.rlhf4j.models.bert;

/**
 * ONNX export of saved models: the network and its saved preprocessing as one standard ONNX graph
 * (opset {@value dev.dendrite.core.io.onnx.OnnxExport#OPSET}, IR version
 * {@value dev.dendrite.core.io.onnx.OnnxExport#IR_VERSION}), one small {@link
 * dev.dendrite.core.io.onnx.LayerExporter} per layer type.
 */
package dev.dendrite.core.io.onnx;

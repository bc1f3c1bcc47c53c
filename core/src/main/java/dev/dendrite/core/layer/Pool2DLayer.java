package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/**
 * What {@link MaxPool2DLayer} and {@link AvgPool2DLayer} share: no parameters, the window's geometry over
 * {@code [channels, height, width]} inputs, and which input rows and columns each window covers (padding
 * excluded). A subclass pools, forward and backward.
 */
abstract class Pool2DLayer extends AbstractLayer<Pool2DConfig> {

  private final Shape outputShape;
  final Window2D g;
  final int inSize;
  final int outSize;
  final int[] rowLo;   // [outH] window row oh covers input rows [rowLo[oh], rowHi[oh])
  final int[] rowHi;
  final int[] colLo;   // [outW] window column ow covers input columns [colLo[ow], colHi[ow])
  final int[] colHi;

  Pool2DLayer(String name, Pool2DConfig config, Shape inputShape) {
    super(name, config, inputShape);
    this.g = new Window2D(config.type(), "pool_size", inputShape, config.poolHeight(), config.poolWidth(),
        config.strideHeight(), config.strideWidth(), config.padding());
    this.outputShape = g.outputShape(g.channels);
    this.inSize = inputShape.size();
    this.outSize = outputShape.size();
    this.rowLo = new int[g.outH];
    this.rowHi = new int[g.outH];
    for (int oh = 0; oh < g.outH; oh++) {
      int top = oh * g.sh - g.padTop;
      rowLo[oh] = Math.max(top, 0);
      rowHi[oh] = Math.min(top + g.kh, g.height);
    }
    this.colLo = new int[g.outW];
    this.colHi = new int[g.outW];
    for (int ow = 0; ow < g.outW; ow++) {
      int left = ow * g.sw - g.padLeft;
      colLo[ow] = Math.max(left, 0);
      colHi[ow] = Math.min(left + g.kw, g.width);
    }
  }

  @Override
  public final Shape outputShape() {
    return outputShape;
  }

  @Override
  public final List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public final void bind(float[] params, float[] grads, int offset) {
  }

  @Override
  public void allocate(int maxBatch) {
  }
}

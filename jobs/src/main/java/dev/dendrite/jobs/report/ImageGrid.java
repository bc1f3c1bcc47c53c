package dev.dendrite.jobs.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * A grid of small grey images (test images beside their reconstructions, images decoded from random
 * codes) drawn into one PNG that the report inlines as a {@code data:} URI, so the page stays one file.
 * Pixels are read as intensities in [0, 1] (what {@code preprocessing: pixel} and a sigmoid output give);
 * values outside are clipped.
 *
 * @param id      the {@code id} of the image in the page
 * @param title   the caption's first words
 * @param caption how to read the grid
 * @param png     the PNG file's bytes
 * @param width   its width in pixels
 * @param height  its height in pixels
 */
public record ImageGrid(String id, String title, String caption, byte[] png, int width, int height) {

  /** Each source pixel becomes a square of this many pixels, so 28×28 images read at a glance. */
  public static final int ZOOM = 3;
  private static final int GAP = 2;

  /**
   * {@code count} images of {@code h × w} from {@code pixels [count, h·w]}, left to right in rows of
   * {@code columns}.
   */
  public static ImageGrid of(String id, String title, String caption, float[] pixels, int count, int h, int w,
                             int columns) {
    if (count <= 0 || columns <= 0 || h <= 0 || w <= 0 || pixels.length < (long) count * h * w) {
      throw new IllegalArgumentException("an image grid needs " + count + " images of " + h + "x" + w + " in "
          + columns + " columns, got " + pixels.length + " pixels");
    }
    int rows = (count + columns - 1) / columns;
    int cols = Math.min(columns, count);
    int cell = ZOOM * w + GAP;
    int width = cols * cell + GAP;
    int height = rows * (ZOOM * h + GAP) + GAP;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    int background = 0xffd0d7de; // the page's border grey between the images
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, background);
      }
    }
    for (int i = 0; i < count; i++) {
      int x0 = GAP + (i % columns) * cell;
      int y0 = GAP + (i / columns) * (ZOOM * h + GAP);
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          int grey = grey(pixels[(i * h + r) * w + c]);
          int rgb = 0xff000000 | grey << 16 | grey << 8 | grey;
          for (int dy = 0; dy < ZOOM; dy++) {
            for (int dx = 0; dx < ZOOM; dx++) {
              image.setRGB(x0 + c * ZOOM + dx, y0 + r * ZOOM + dy, rgb);
            }
          }
        }
      }
    }
    return new ImageGrid(id, title, caption, encode(image), width, height);
  }

  /** One {@code h × w} image from {@code pixels[offset ...]} as PNG bytes, one file pixel per value. */
  public static byte[] png(float[] pixels, int offset, int h, int w) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int grey = grey(pixels[offset + r * w + c]);
        image.setRGB(c, r, 0xff000000 | grey << 16 | grey << 8 | grey);
      }
    }
    return encode(image);
  }

  private static int grey(float v) {
    float clipped = v != v ? 0f : Math.max(0f, Math.min(1f, v));
    return Math.round(clipped * 255f);
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("this JVM has no PNG writer (javax.imageio)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The PNG as a {@code data:} URI for an {@code <img src>}. */
  public String dataUri() {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }
}

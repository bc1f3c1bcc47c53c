package dev.dendrite.spark;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control messages of collective training, between the tasks (rank 0 reports, every rank receives
 * {@link Kind#FINISH}) and the driver, carried as the payloads of the tracker's authenticated frames.
 * A message is one kind byte, then either UTF-8 JSON or Dendrite model files (bounds- and
 * checksum-checked when read; never Java serialization).
 */
final class CollectiveMessages {

  private CollectiveMessages() {
  }

  /** What a message says. */
  enum Kind {
    /** An epoch begins: {@code {epoch, epochs, steps}} (1-based epoch). */
    EPOCH_START,
    /** Progress within an epoch: {@code {epoch, epochs, step, steps, loss, examples}}. */
    STEP,
    /** An epoch ended: {@code {epochs, record}}. */
    EPOCH_END,
    /** Where the run is, to resume from: the loop's snapshot, parameters, optimizer state, best parameters. */
    STATE,
    /** The run ended: its history and final parameters. */
    DONE,
    /** A task failed: {@code {user_error, message}}; a user error (bad setting) is not retried. */
    ERROR,
    /** From the driver: the run is over, the tasks may leave. */
    FINISH
  }

  /** A decoded message: its kind and, by kind, its JSON or its state. */
  record Message(Kind kind, Map<String, Object> json, State state) {
  }

  /** A resumable position: what {@link TrainingLoop.Checkpointer#save} receives. */
  record State(TrainingLoop.Snapshot snapshot, float[] params, float[] best, OptimizerState optimizerState) {
  }

  static byte[] epochStart(int epoch, int epochs, int steps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("epochs", epochs);
    m.put("steps", steps);
    return json(Kind.EPOCH_START, m);
  }

  static byte[] step(int epoch, int epochs, int step, int steps, double loss, long examples) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("epochs", epochs);
    m.put("step", step);
    m.put("steps", steps);
    m.put("loss", Double.isFinite(loss) ? loss : null);
    m.put("examples", examples);
    return json(Kind.STEP, m);
  }

  static byte[] epochEnd(int epochs, EpochRecord record) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("record", record.toJsonMap());
    return json(Kind.EPOCH_END, m);
  }

  static byte[] error(boolean userError, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user_error", userError);
    m.put("message", message);
    return json(Kind.ERROR, m);
  }

  static byte[] finish() {
    return new byte[] {(byte) Kind.FINISH.ordinal()};
  }

  /** A state message; a state without a snapshot is the start of a fresh run. */
  static byte[] state(NetworkConfig network, State state) {
    Map<String, Object> training = new LinkedHashMap<>();
    if (state.snapshot() != null) {
      training.put("loop", state.snapshot().toMap());
    }
    return models(Kind.STATE, network, state.params(), training, state.optimizerState(), state.best());
  }

  static byte[] done(NetworkConfig network, History history, float[] params) {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("history", history.toJsonMap());
    return models(Kind.DONE, network, params, training, null, null);
  }

  /** The history a {@link Kind#DONE} message carries. */
  @SuppressWarnings("unchecked")
  static History history(Message done) {
    return History.fromMap((Map<String, Object>) done.json().get("history"));
  }

  @SuppressWarnings("unchecked")
  static Message read(byte[] frame) {
    if (frame.length == 0 || (frame[0] & 0xFF) >= Kind.values().length) {
      throw new IllegalStateException("collective: a control message of unknown kind "
          + (frame.length == 0 ? "(empty)" : Integer.toString(frame[0] & 0xFF)));
    }
    Kind kind = Kind.values()[frame[0]];
    switch (kind) {
      case STATE:
      case DONE: {
        ByteBuffer in = ByteBuffer.wrap(frame, 1, frame.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        SavedModel main = model(in, kind);
        SavedModel best = in.hasRemaining() ? model(in, kind) : null;
        Map<String, Object> training = main.training();
        if (kind == Kind.DONE) {
          return new Message(kind, training, new State(null, main.parameters(), null, null));
        }
        Object loop = training == null ? null : training.get("loop");
        TrainingLoop.Snapshot snapshot = loop == null ? null : TrainingLoop.Snapshot.fromMap((Map<String, Object>) loop);
        return new Message(kind, training, new State(snapshot, main.parameters(),
            best == null ? null : best.parameters(), main.optimizerState()));
      }
      case FINISH:
        return new Message(kind, Map.of(), null);
      default:
        String text = new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
        return new Message(kind, Json.parseObject(text, "collective " + kind + " message"), null);
    }
  }

  private static byte[] json(Kind kind, Map<String, Object> m) {
    byte[] text = Json.write(m).getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[1 + text.length];
    frame[0] = (byte) kind.ordinal();
    System.arraycopy(text, 0, frame, 1, text.length);
    return frame;
  }

  private static byte[] models(Kind kind, NetworkConfig network, float[] params, Map<String, Object> training,
                               OptimizerState optimizerState, float[] best) {
    byte[] main = ModelFile.toBytes(new SavedModel(network, params, null, null, training, optimizerState,
        ModelFile.LIBRARY_VERSION, java.time.Instant.EPOCH));
    byte[] second = best == null ? new byte[0]
        : ModelFile.toBytes(new SavedModel(network, best, null, null, null, null, ModelFile.LIBRARY_VERSION, java.time.Instant.EPOCH));
    ByteBuffer out = ByteBuffer.allocate(1 + 4 + main.length + (best == null ? 0 : 4 + second.length))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) kind.ordinal()).putInt(main.length).put(main);
    if (best != null) {
      out.putInt(second.length).put(second);
    }
    return out.array();
  }

  private static SavedModel model(ByteBuffer in, Kind kind) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalStateException("collective " + kind + " message: a model of " + length
          + " bytes where " + in.remaining() + " remain");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    try {
      return ModelFile.read(bytes, "collective " + kind + " message");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

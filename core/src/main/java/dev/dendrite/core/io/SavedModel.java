package dev.dendrite.core.io;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.OptimizerState;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a model file: the network config and its flat parameters, plus what is needed to use
 * and trust them later (loss name, fitted preprocessing, training metadata, library version, creation
 * time) and, for checkpoints, the optimizer state. Immutable: the parameters are copied in and out.
 *
 * <p>{@code preprocessing} and {@code training} are free maps of JSON values; they are normalized to their
 * JSON form on construction (integers become {@code Long}, other numbers {@code Double}, lists
 * {@code ArrayList}, maps {@code LinkedHashMap}), so a model read back from a file equals the one written,
 * and a value JSON cannot hold (NaN, an arbitrary object) fails here, naming its key.
 *
 * @param network        the architecture; the parameters follow its {@link dev.dendrite.core.tensor.ParameterLayout}
 * @param parameters     the flat parameter vector
 * @param loss           the loss the network was trained with (e.g. {@code categorical_crossentropy}), or null
 * @param preprocessing  fitted preprocessing to apply to inputs before {@link Network#predict}, or empty
 * @param training       training metadata: seed, data description, epochs, final metrics, ... (free form)
 * @param optimizerState the optimizer state for resuming training, or null
 * @param libraryVersion the Dendrite version that wrote the file
 * @param created        when the model was saved
 */
public record SavedModel(NetworkConfig network, float[] parameters, String loss, Map<String, Object> preprocessing,
                         Map<String, Object> training, OptimizerState optimizerState, String libraryVersion,
                         Instant created) {

  public SavedModel {
    Objects.requireNonNull(network, "network config");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(libraryVersion, "library version");
    Objects.requireNonNull(created, "created");
    parameters = parameters.clone();
    preprocessing = normalize(preprocessing, "preprocessing");
    training = normalize(training, "training");
    if (optimizerState != null && optimizerState.slotLength() >= 0
        && optimizerState.slotLength() != parameters.length) {
      throw new IllegalArgumentException("optimizer state of " + optimizerState.optimizer() + " has vectors of "
          + optimizerState.slotLength() + " values, but there are " + parameters.length + " parameters");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalize(Map<String, Object> map, String name) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    String json;
    try {
      json = Json.write(map);
    } catch (JsonException e) {
      throw new IllegalArgumentException(name + e.getMessage().substring(1), e); // "$.key ..." → "name.key ..."
    }
    return Collections.unmodifiableMap((Map<String, Object>) Json.parse(json, name));
  }

  /** A model of {@code network}'s config and current parameters, saved now by this library version. */
  public static SavedModel of(Network network) {
    return new SavedModel(network.config(), network.parameterArray(), null, Map.of(), Map.of(), null,
        ModelFile.LIBRARY_VERSION, Instant.now());
  }

  public SavedModel withLoss(String loss) {
    return new SavedModel(network, parameters, loss, preprocessing, training, optimizerState, libraryVersion,
        created);
  }

  public SavedModel withPreprocessing(Map<String, Object> preprocessing) {
    return new SavedModel(network, parameters, loss, preprocessing, training, optimizerState, libraryVersion,
        created);
  }

  public SavedModel withTraining(Map<String, Object> training) {
    return new SavedModel(network, parameters, loss, preprocessing, training, optimizerState, libraryVersion,
        created);
  }

  public SavedModel withOptimizerState(OptimizerState optimizerState) {
    return new SavedModel(network, parameters, loss, preprocessing, training, optimizerState, libraryVersion,
        created);
  }

  public SavedModel withCreated(Instant created) {
    return new SavedModel(network, parameters, loss, preprocessing, training, optimizerState, libraryVersion,
        created);
  }

  /** A copy of the flat parameter vector. */
  @Override
  public float[] parameters() {
    return parameters.clone();
  }

  public int parameterCount() {
    return parameters.length;
  }

  /** The stored vector itself, for writing without a copy. */
  float[] parameterView() {
    return parameters;
  }

  /** A network built from the config (with the configured GEMM backend) holding these parameters. */
  public Network toNetwork() {
    Network net = new Network(network);
    net.setParameters(parameters);
    return net;
  }

  /** A network on the given GEMM backend holding these parameters. */
  public Network toNetwork(Gemm gemm) {
    Network net = new Network(network, gemm);
    net.setParameters(parameters);
    return net;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SavedModel)) {
      return false;
    }
    SavedModel m = (SavedModel) o;
    return network.equals(m.network) && Arrays.equals(parameters, m.parameters) && Objects.equals(loss, m.loss)
        && preprocessing.equals(m.preprocessing) && training.equals(m.training)
        && Objects.equals(optimizerState, m.optimizerState) && libraryVersion.equals(m.libraryVersion)
        && created.equals(m.created);
  }

  @Override
  public int hashCode() {
    return Objects.hash(network, Arrays.hashCode(parameters), loss, preprocessing, training, optimizerState,
        libraryVersion, created);
  }

  @Override
  public String toString() {
    return "SavedModel{" + parameters.length + " parameters, loss=" + loss + ", library " + libraryVersion
        + ", created " + created + (optimizerState == null ? "" : ", " + optimizerState) + "}";
  }
}
